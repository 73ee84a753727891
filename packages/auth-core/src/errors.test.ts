import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError } from './errors.js'

describe('AuthError', () => {
  it('carries a stable code, its class name and the cause', () => {
    const cause = new Error('ECONNREFUSED')
    const error = new AuthError('ERR_STORE_UNAVAILABLE', 'session store unavailable', { cause })
    expect(error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(error.name).toBe('AuthError')
    expect(error.cause).toBe(cause)
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(isAuthError(error, 'ERR_JWT_EXPIRED')).toBe(false)
  })

  it('recognises a copy from another bundle by shape, and nothing else', () => {
    const foreign = Object.assign(new Error('x'), { name: 'AuthError', code: 'ERR_JWT_EXPIRED' })
    expect(isAuthError(foreign, 'ERR_JWT_EXPIRED')).toBe(true)
    expect(isAuthError(new Error('x'))).toBe(false)
    expect(isAuthError({ code: 'ERR_JWT_EXPIRED' })).toBe(false)
    expect(isAuthError(null)).toBe(false)
  })

  it('recognises a subclass from another bundle by its brand, whatever its name', () => {
    class OtherCopyError extends Error {
      readonly code = 'ERR_OAUTH_REAUTHENTICATE'
    }
    const foreign = Object.defineProperty(new OtherCopyError('x'), Symbol.for('@acme/auth-core/AuthError'), { value: true })
    expect(isAuthError(foreign, 'ERR_OAUTH_REAUTHENTICATE')).toBe(true)
    // A Node system error has an ERR_ code too, and is not ours.
    expect(isAuthError(Object.assign(new TypeError('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false)
  })

  it('names a subclass after its class and keeps its narrowed code', () => {
    class PolicyLikeError extends AuthError {
      constructor() {
        super('ERR_POLICY_DENIED', 'denied')
      }
    }
    const error = new PolicyLikeError()
    expect(error.name).toBe('PolicyLikeError')
    expect(error).toBeInstanceOf(AuthError)
    expect(isAuthError(error, 'ERR_POLICY_DENIED')).toBe(true)
  })
})
