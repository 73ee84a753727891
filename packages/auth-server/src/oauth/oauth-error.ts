import { AuthError, type AuthErrorCode } from '@acme/auth-core'

/**
 * Why an OAuth sign-in (or a provider-token refresh) failed: the `ERR_OAUTH_*` codes of core's
 * {@link AuthErrorCode} union (each documented there). Match on `code`, not on the message.
 */
export type OAuthErrorCode = Extract<AuthErrorCode, `ERR_OAUTH_${string}`>

/**
 * An OAuth failure: an {@link AuthError} whose `code` is one of the {@link OAuthErrorCode}s, so
 * `isAuthError(error, 'ERR_OAUTH_REAUTHENTICATE')` matches it and the error handler answers it
 * from the same table as every other code. `instanceof` works within one copy of the package;
 * match on `code` when bundles may duplicate classes.
 *
 * @example
 * ```ts
 * if (isAuthError(error, 'ERR_OAUTH_REAUTHENTICATE')) redirectToSignIn()
 * ```
 */
export class OAuthError extends AuthError {
  declare readonly code: OAuthErrorCode

  constructor(code: OAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
  }
}

// Keyed by code, so adding a code to the union without deciding how its sign-in ends fails to compile.
const endsOnErrorPage: Record<OAuthErrorCode, boolean> = {
  ERR_OAUTH_STATE_MISSING: false,
  ERR_OAUTH_STATE_INVALID: false,
  ERR_OAUTH_STATE_REPLAYED: false,
  ERR_OAUTH_CODE_REJECTED: false,
  ERR_OAUTH_ID_TOKEN_INVALID: false,
  ERR_OAUTH_ACCESS_DENIED: true,
  ERR_OAUTH_PROVIDER_ERROR: true,
  ERR_OAUTH_PROVIDER_UNAVAILABLE: true,
  ERR_OAUTH_ACCOUNT_NOT_ALLOWED: true,
  ERR_OAUTH_NO_PROVIDER_TOKENS: false,
  ERR_OAUTH_REAUTHENTICATE: false,
}

/**
 * True for the codes that end a browser's sign-in on the app's error page (what users cause or
 * suffer); the others (what attacks look like) answer problem+json from `toProblem`.
 */
export function redirectsToErrorPage(code: OAuthErrorCode): boolean {
  return endsOnErrorPage[code]
}
