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
})
