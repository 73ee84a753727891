import { createHmac, randomBytes } from 'node:crypto'
import { timingSafeEqual } from '@acme/auth-core'
import type { Exchange } from '../http/exchange.js'

/** Why a state-changing request was refused. */
export type CsrfFailure = 'missing-token' | 'token-mismatch' | 'token-invalid' | 'cross-site' | 'origin-mismatch' | 'origin-missing'

export interface Csrf {
  /** A new token bound to `binding` (the session id, or '' before sign-in). */
  issue(binding: string): string
  /** True when `token` is well-formed and was issued by us for `binding`. */
  verify(token: string, binding: string): boolean
  /**
   * The full check for an unsafe method: header equals cookie (constant time), token bound to
   * this session, Origin (or Referer) on an allowed origin, and no `Sec-Fetch-Site: cross-site`.
   */
  check(ex: Exchange, cookieToken: string | undefined, binding: string): CsrfFailure | null
}

const tokenPattern = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/**
 * Signed double-submit CSRF tokens (OWASP): `<nonce>.<HMAC-SHA256(secret, binding ! nonce)>`, so a
 * token minted for one session is useless in another, plus Fetch Metadata and Origin checks.
 */
export function createCsrf(secret: Buffer, allowedOrigins: ReadonlySet<string>): Csrf {
  const sign = (binding: string, nonce: string) =>
    createHmac('sha256', secret).update(`${binding}!${nonce}`).digest('base64url')

  const verify = (token: string, binding: string) => {
    const match = tokenPattern.exec(token)
    if (!match) return false
    const [, nonce, mac] = match as unknown as [string, string, string]
    return timingSafeEqual(mac, sign(binding, nonce))
  }

  return {
    issue(binding) {
      const nonce = randomBytes(16).toString('base64url')
      return `${nonce}.${sign(binding, nonce)}`
    },
    verify,
    check(ex, cookieToken, binding) {
      if (ex.header('sec-fetch-site') === 'cross-site') return 'cross-site'
      const origin = requestOrigin(ex)
      if (origin === undefined) return 'origin-missing'
      if (!allowedOrigins.has(origin)) return 'origin-mismatch'
      const headerToken = ex.header('x-csrf-token')
      if (headerToken === undefined || headerToken.length === 0 || cookieToken === undefined) return 'missing-token'
      if (!timingSafeEqual(headerToken, cookieToken)) return 'token-mismatch'
      if (!verify(headerToken, binding)) return 'token-invalid'
      return null
    },
  }
}

/** The request's claimed origin: `Origin`, or without one the origin of `Referer`. */
function requestOrigin(ex: Exchange): string | undefined {
  const origin = ex.header('origin')
  if (origin !== undefined && origin.length > 0) return origin === 'null' ? 'null' : normalizeOrigin(origin)
  const referer = ex.header('referer')
  if (referer === undefined || referer.length === 0) return undefined
  return normalizeOrigin(referer)
}

/** `scheme://host[:port]` in canonical form, or 'invalid'. */
export function normalizeOrigin(value: string): string {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'invalid'
    return url.origin
  } catch {
    return 'invalid'
  }
}
