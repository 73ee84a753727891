/**
 * Every failure that core raises carries one of these stable codes. Match on `code`, not on the
 * class: bundlers can load two copies of a class, but a string stays a string.
 */
export type AuthErrorCode =
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_SESSION_NOT_FOUND'
  | 'ERR_JWT_INVALID'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_YET_VALID'
  | 'ERR_JWT_SIGNATURE'
  | 'ERR_JWT_ALGORITHM'
  | 'ERR_JWT_CLAIM'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_FETCH'
  | 'ERR_KEY_ENCRYPTION'
  | 'ERR_NO_SIGNING_KEY'
  | 'ERR_REFRESH_TOKEN_INVALID'
  | 'ERR_REFRESH_TOKEN_EXPIRED'
  | 'ERR_REFRESH_TOKEN_REUSED'
  | 'ERR_RATE_LIMITED'
  | 'ERR_PASSWORD_POLICY'
  | 'ERR_ONE_TIME_TOKEN_INVALID'

/**
 * The one error class of `@acme/auth-core`.
 *
 * @example
 * ```ts
 * try {
 *   await sessions.validate(token)
 * } catch (error) {
 *   if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) return res.status(503).end()
 *   throw error
 * }
 * ```
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** True when `error` is an {@link AuthError} (by shape, so duplicated bundles still match), optionally with a given code. */
export function isAuthError(error: unknown, code?: AuthErrorCode): error is AuthError {
  if (typeof error !== 'object' || error === null) return false
  const candidate = error as { code?: unknown; name?: unknown }
  if (typeof candidate.code !== 'string' || !candidate.code.startsWith('ERR_')) return false
  if (!(error instanceof AuthError) && candidate.name !== 'AuthError') return false
  return code === undefined || candidate.code === code
}
