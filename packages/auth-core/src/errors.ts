/**
 * Every failure of Acme Auth carries one of these stable codes: core's, the server's OAuth sign-in
 * (`ERR_OAUTH_*`, thrown as `OAuthError` by `@acme/auth-server`) and policy denials. Match on
 * `code`, not on the class: bundlers can load two copies of a class, but a string stays a string.
 * A test fails when a code here is never thrown, so every code is one a caller can meet.
 */
export type AuthErrorCode =
  /** A store (Redis, PostgreSQL, …) failed or answered garbage: fail closed, answer 503. */
  | 'ERR_STORE_UNAVAILABLE'
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
  /** The session a refresh family belongs to has ended (logout, revoked device, expiry): the family is revoked too. */
  | 'ERR_REFRESH_SESSION_ENDED'
  | 'ERR_PASSWORD_POLICY'
  | 'ERR_ONE_TIME_TOKEN_INVALID'
  /** `policies.assert` denied (thrown as `PolicyDeniedError`, with the decision and its reason). */
  | 'ERR_POLICY_DENIED'
  /** OAuth: the callback came without a pending transaction or without `state` (400). */
  | 'ERR_OAUTH_STATE_MISSING'
  /** OAuth: `state` does not match this browser's transaction, or the transaction is forged or expired (400). */
  | 'ERR_OAUTH_STATE_INVALID'
  /** OAuth: the transaction was already used: a replayed callback (400). */
  | 'ERR_OAUTH_STATE_REPLAYED'
  /** OAuth: the provider refused the code: replayed, expired, or a PKCE verifier mismatch (401). */
  | 'ERR_OAUTH_CODE_REJECTED'
  /** OAuth: the ID token failed validation: signature, `iss`, `aud`, `exp` or `nonce` (401). */
  | 'ERR_OAUTH_ID_TOKEN_INVALID'
  /** OAuth: the user (or the provider) declined: `error=access_denied` (redirect to the error page). */
  | 'ERR_OAUTH_ACCESS_DENIED'
  /** OAuth: any other error the provider reported in the callback (redirect to the error page). */
  | 'ERR_OAUTH_PROVIDER_ERROR'
  /** OAuth: the provider could not be reached, or answered garbage (redirect; 502 through the BFF). */
  | 'ERR_OAUTH_PROVIDER_UNAVAILABLE'
  /** OAuth: the app's `users.findOrCreate` hook refused this identity (redirect to the error page). */
  | 'ERR_OAUTH_ACCOUNT_NOT_ALLOWED'
  /** OAuth: the session holds no tokens of that provider (401 through the BFF). */
  | 'ERR_OAUTH_NO_PROVIDER_TOKENS'
  /** OAuth: the provider refused the refresh token: the user must sign in again (401 through the BFF). */
  | 'ERR_OAUTH_REAUTHENTICATE'

// A registry symbol, so an AuthError from a second copy of this package (duplicated bundles) is
// still recognised, and a Node system error (`code: 'ERR_INVALID_ARG_TYPE'`) never is.
const brand = Symbol.for('@acme/auth-core/AuthError')

/**
 * The one error tree of Acme Auth. Subclasses (`PolicyDeniedError`, the server's `OAuthError`) add
 * context and narrow `code`; `name` is the concrete class name.
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
    this.name = this.constructor.name
    this.code = code
    Object.defineProperty(this, brand, { value: true })
  }
}

/**
 * True when `error` is an {@link AuthError} or one of its subclasses (recognised across duplicated
 * bundles too), optionally with a given code.
 *
 * @example
 * ```ts
 * if (isAuthError(error, 'ERR_OAUTH_REAUTHENTICATE')) redirectToSignIn()
 * ```
 */
export function isAuthError<C extends AuthErrorCode = AuthErrorCode>(error: unknown, code?: C): error is AuthError & { code: C } {
  if (typeof error !== 'object' || error === null) return false
  const candidate = error as { code?: unknown; name?: unknown }
  if (typeof candidate.code !== 'string' || !candidate.code.startsWith('ERR_')) return false
  // A copy that predates the brand is still recognised by its name.
  const branded = (error as Record<symbol, unknown>)[brand] === true
  if (!(error instanceof AuthError) && !branded && candidate.name !== 'AuthError') return false
  return code === undefined || candidate.code === code
}
