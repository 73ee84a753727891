// jose's errors mapped to ours, in one place, so every verifier answers with the same stable codes.
import { AuthError, isAuthError, type AuthErrorCode } from '../../errors.js'

/** An `ERR_JWT_CLAIM` error names the claim (or header member, e.g. `typ`) that failed. */
export interface JwtClaimError extends AuthError {
  readonly code: 'ERR_JWT_CLAIM'
  readonly claim: string
}

export function claimError(claim: string, message: string, cause?: unknown): JwtClaimError {
  const error = new AuthError('ERR_JWT_CLAIM', message, { cause }) as AuthError & { claim: string }
  Object.defineProperty(error, 'claim', { value: claim, enumerable: true })
  return error as JwtClaimError
}

const direct: Readonly<Record<string, AuthErrorCode>> = {
  ERR_JWT_EXPIRED: 'ERR_JWT_EXPIRED',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'ERR_JWT_SIGNATURE',
  ERR_JOSE_ALG_NOT_ALLOWED: 'ERR_JWT_ALGORITHM',
  ERR_JWKS_NO_MATCHING_KEY: 'ERR_JWKS_NO_MATCHING_KEY',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'ERR_JWKS_NO_MATCHING_KEY',
  ERR_JWKS_TIMEOUT: 'ERR_JWKS_FETCH',
  ERR_JWKS_INVALID: 'ERR_JWKS_FETCH',
}

/** Any failure while verifying, as an AuthError with a stable code (AuthErrors pass through). */
export function toJwtAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error
  const { code, claim, reason, message } = (error ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown; message?: unknown }
  const text = typeof message === 'string' ? message : 'invalid token'
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && typeof claim === 'string') {
    // jose reports a future `nbf` as a failed claim check; callers want "not yet valid".
    if (claim === 'nbf' && reason === 'check_failed') return new AuthError('ERR_JWT_NOT_YET_VALID', 'the token is not valid yet', { cause: error })
    return claimError(claim, text, error)
  }
  const mapped = typeof code === 'string' ? direct[code] : undefined
  return new AuthError(mapped ?? 'ERR_JWT_INVALID', mapped ? text : `malformed token: ${text}`, { cause: error })
}
