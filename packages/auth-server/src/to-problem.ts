import { isAuthError, type AuthErrorCode } from '@acme/auth-core'
import { ProblemError } from './problem-error.js'
import { problem, type Problem } from './problem.js'

const byCode: Partial<Record<AuthErrorCode, Problem>> = {
  ERR_STORE_UNAVAILABLE: problem(503, 'store-unavailable', 'Service Unavailable', 'Authentication is temporarily unavailable.'),
  ERR_RATE_LIMITED: problem(429, 'rate-limited', 'Too Many Requests'),
  ERR_REFRESH_TOKEN_REUSED: problem(401, 'unauthenticated', 'Unauthorized'),
  // The JWKS could not be fetched and no cached key fits: fail closed, but say it is on our side.
  ERR_JWKS_FETCH: problem(503, 'jwks-unavailable', 'Service Unavailable', 'Signing keys are temporarily unavailable.'),
}

/**
 * Maps any thrown value to the problem that may be shown to a client. Unknown errors become a
 * generic 500 with no detail: a stack trace or an internal message never leaves the server.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem
  if (isAuthError(error)) {
    const mapped = byCode[error.code] ?? problem(401, 'unauthenticated', 'Unauthorized')
    return { ...mapped, code: error.code }
  }
  const status = httpStatusOf(error)
  if (status !== undefined && status >= 400 && status < 500) {
    const title = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request'
    return problem(status, 'bad-request', title)
  }
  return problem(500, 'internal', 'Internal Server Error')
}

// body-parser, http-errors and friends put the intended status on the error.
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown }
  const value = typeof status === 'number' ? status : statusCode
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}
