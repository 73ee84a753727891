import { problem } from '../problem.js'
import { ProblemError } from '../problem-error.js'

/** Why an OAuth sign-in (or a provider-token refresh) failed. Match on `code`, not on the message. */
export type OAuthErrorCode =
  /** The callback came without a pending transaction or without `state` (400). */
  | 'ERR_OAUTH_STATE_MISSING'
  /** `state` does not match this browser's transaction, or the transaction is forged or expired (400). */
  | 'ERR_OAUTH_STATE_INVALID'
  /** The transaction was already used: a replayed callback (400). */
  | 'ERR_OAUTH_STATE_REPLAYED'
  /** The provider refused the code: replayed, expired, or a PKCE verifier mismatch (401). */
  | 'ERR_OAUTH_CODE_REJECTED'
  /** The ID token failed validation: signature, `iss`, `aud`, `exp` or `nonce` (401). */
  | 'ERR_OAUTH_ID_TOKEN_INVALID'
  /** The user (or the provider) declined: `error=access_denied` (redirect to the error page). */
  | 'ERR_OAUTH_ACCESS_DENIED'
  /** Any other error the provider reported in the callback (redirect to the error page). */
  | 'ERR_OAUTH_PROVIDER_ERROR'
  /** The provider could not be reached, or answered garbage (redirect; 502 through the BFF). */
  | 'ERR_OAUTH_PROVIDER_UNAVAILABLE'
  /** The app's `users.findOrCreate` hook refused this identity (redirect to the error page). */
  | 'ERR_OAUTH_ACCOUNT_NOT_ALLOWED'
  /** The session holds no tokens of that provider (401 through the BFF). */
  | 'ERR_OAUTH_NO_PROVIDER_TOKENS'
  /** The provider refused the refresh token: the user must sign in again (401 through the BFF). */
  | 'ERR_OAUTH_REAUTHENTICATE'

/**
 * An OAuth failure with a stable `code`. `instanceof` works within one copy of the package; match
 * on `code` when bundles may duplicate classes.
 *
 * @example
 * ```ts
 * if (error instanceof OAuthError && error.code === 'ERR_OAUTH_REAUTHENTICATE') redirectToSignIn()
 * ```
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode

  constructor(code: OAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = this.constructor.name
    this.code = code
  }
}

const statusOf: Record<OAuthErrorCode, number> = {
  ERR_OAUTH_STATE_MISSING: 400,
  ERR_OAUTH_STATE_INVALID: 400,
  ERR_OAUTH_STATE_REPLAYED: 400,
  ERR_OAUTH_CODE_REJECTED: 401,
  ERR_OAUTH_ID_TOKEN_INVALID: 401,
  ERR_OAUTH_ACCESS_DENIED: 403,
  ERR_OAUTH_PROVIDER_ERROR: 502,
  ERR_OAUTH_PROVIDER_UNAVAILABLE: 502,
  ERR_OAUTH_ACCOUNT_NOT_ALLOWED: 403,
  ERR_OAUTH_NO_PROVIDER_TOKENS: 401,
  ERR_OAUTH_REAUTHENTICATE: 401,
}

/** Codes that end a browser's sign-in on the app's error page instead of a problem+json body. */
export const redirectedCodes: ReadonlySet<OAuthErrorCode> = new Set([
  'ERR_OAUTH_ACCESS_DENIED',
  'ERR_OAUTH_PROVIDER_ERROR',
  'ERR_OAUTH_PROVIDER_UNAVAILABLE',
  'ERR_OAUTH_ACCOUNT_NOT_ALLOWED',
])

/** The problem+json answer of an OAuth failure: its status, a slug, and `code`. The message stays on the server. */
export function oauthProblem(error: OAuthError): ProblemError {
  const status = statusOf[error.code]
  const slug = error.code.slice(4).toLowerCase().replaceAll('_', '-')
  const title = status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Gateway'
  return new ProblemError({ ...problem(status, slug, title), code: error.code })
}
