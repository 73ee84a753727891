import { isAuthError, type AuthErrorCode } from '@acme/auth-core'
import { ProblemError } from './problem-error.js'
import { problem, type Problem } from './problem.js'

const unauthenticated = problem(401, 'unauthenticated', 'Unauthorized')
const signingUnavailable = problem(503, 'signing-unavailable', 'Service Unavailable', 'Signing keys are temporarily unavailable.')
const titles = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 502: 'Bad Gateway' } as const
// The slug of an OAuth code: `ERR_OAUTH_STATE_INVALID` is `oauth-state-invalid`.
const oauth = (status: keyof typeof titles, code: `ERR_OAUTH_${string}`) =>
  problem(status, code.slice(4).toLowerCase().replaceAll('_', '-'), titles[status])

/**
 * The answer to every code of the error tree, core's and the server's alike. Keyed by the whole
 * union, so a new code does not compile until it has its answer here.
 */
const byCode: Record<AuthErrorCode, Problem> = {
  ERR_STORE_UNAVAILABLE: problem(503, 'store-unavailable', 'Service Unavailable', 'Authentication is temporarily unavailable.'),
  // A presented credential that does not hold: not signed in, never a hint of which check failed.
  ERR_JWT_INVALID: unauthenticated,
  ERR_JWT_EXPIRED: unauthenticated,
  ERR_JWT_NOT_YET_VALID: unauthenticated,
  ERR_JWT_SIGNATURE: unauthenticated,
  ERR_JWT_ALGORITHM: unauthenticated,
  ERR_JWT_CLAIM: unauthenticated,
  ERR_JWKS_NO_MATCHING_KEY: unauthenticated,
  // The JWKS could not be fetched and no cached key fits: fail closed, but say it is on our side.
  ERR_JWKS_FETCH: problem(503, 'jwks-unavailable', 'Service Unavailable', 'Signing keys are temporarily unavailable.'),
  // Our keys cannot sign (no active key, or no configured secret opens it): a fault on our side,
  // not the caller's credential. A 401 would sign browsers out and hide the fault from operators.
  ERR_KEY_ENCRYPTION: signingUnavailable,
  ERR_NO_SIGNING_KEY: signingUnavailable,
  ERR_REFRESH_TOKEN_INVALID: unauthenticated,
  ERR_REFRESH_TOKEN_EXPIRED: unauthenticated,
  ERR_REFRESH_TOKEN_REUSED: unauthenticated,
  ERR_REFRESH_SESSION_ENDED: unauthenticated,
  ERR_PASSWORD_POLICY: problem(400, 'password-policy', 'Bad Request'),
  ERR_ONE_TIME_TOKEN_INVALID: problem(400, 'invalid-token', 'Bad Request'),
  // Signed in but not allowed; the decision's reason stays on the server.
  ERR_POLICY_DENIED: problem(403, 'forbidden', 'Forbidden'),
  // OAuth: what attacks look like is a 4xx, a provider failure a 502 (the status the BFF answers).
  ERR_OAUTH_STATE_MISSING: oauth(400, 'ERR_OAUTH_STATE_MISSING'),
  ERR_OAUTH_STATE_INVALID: oauth(400, 'ERR_OAUTH_STATE_INVALID'),
  ERR_OAUTH_STATE_REPLAYED: oauth(400, 'ERR_OAUTH_STATE_REPLAYED'),
  ERR_OAUTH_CODE_REJECTED: oauth(401, 'ERR_OAUTH_CODE_REJECTED'),
  ERR_OAUTH_ID_TOKEN_INVALID: oauth(401, 'ERR_OAUTH_ID_TOKEN_INVALID'),
  ERR_OAUTH_ACCESS_DENIED: oauth(403, 'ERR_OAUTH_ACCESS_DENIED'),
  ERR_OAUTH_PROVIDER_ERROR: oauth(502, 'ERR_OAUTH_PROVIDER_ERROR'),
  ERR_OAUTH_PROVIDER_UNAVAILABLE: oauth(502, 'ERR_OAUTH_PROVIDER_UNAVAILABLE'),
  ERR_OAUTH_ACCOUNT_NOT_ALLOWED: oauth(403, 'ERR_OAUTH_ACCOUNT_NOT_ALLOWED'),
  ERR_OAUTH_NO_PROVIDER_TOKENS: oauth(401, 'ERR_OAUTH_NO_PROVIDER_TOKENS'),
  ERR_OAUTH_REAUTHENTICATE: oauth(401, 'ERR_OAUTH_REAUTHENTICATE'),
}

/**
 * Maps any thrown value to the problem that may be shown to a client: the one place where errors
 * become problem+json. An `AuthError` (any subclass) answers from its code, with `code` in the
 * body; unknown errors become a generic 500 with no detail: a stack trace or an internal message
 * never leaves the server.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem
  if (isAuthError(error, 'ERR_PASSWORD_POLICY')) return passwordPolicyProblem(violationsOf(error.cause))
  if (isAuthError(error)) return { ...(byCode[error.code] ?? unauthenticated), code: error.code }
  const status = httpStatusOf(error)
  if (status !== undefined && status >= 400 && status < 500) {
    const title = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request'
    return problem(status, 'bad-request', title)
  }
  return problem(500, 'internal', 'Internal Server Error')
}

/** The 400 for a refused new password, with the reasons (never the password). */
export function passwordPolicyProblem(violations: readonly string[]): Problem {
  return {
    ...problem(400, 'password-policy', 'Bad Request', `The password was refused: ${violations.join(', ') || 'policy'}.`),
    code: 'ERR_PASSWORD_POLICY',
    violations: [...violations],
  }
}

const violationsOf = (cause: unknown): readonly string[] => {
  const list = (cause as { violations?: unknown } | undefined)?.violations
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []
}

/**
 * The error as a {@link ProblemError}, for a layer that passes only those through (the BFF): the
 * same answer the error handler gives it.
 */
export function problemErrorOf(error: unknown): ProblemError {
  return error instanceof ProblemError ? error : new ProblemError(toProblem(error))
}

// body-parser, http-errors and friends put the intended status on the error.
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown }
  const value = typeof status === 'number' ? status : statusCode
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}
