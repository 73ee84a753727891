import { ProblemError, unauthorized } from '../errors/problem-error.js'
import { problem } from '../errors/problem.js'
import type { RequestAuth } from './request-auth.js'

/** The levels a step-up guard can ask for: `'mfa'`, two factors proven (RFC 8176 `mfa`). */
export type RequiredAuthLevel = 'mfa'

/**
 * The one step-up check every adapter's guard asks: `null` when the request's session has the
 * level; otherwise the error to answer: 401 `…/unauthenticated` when anonymous, 401
 * `…/mfa-required` when signed in with one factor only (prompt for a factor, then
 * `POST /auth/mfa/step-up`, and retry).
 */
export function authLevelError(auth: RequestAuth | null, level: RequiredAuthLevel): ProblemError | null {
  if (level !== 'mfa') throw new TypeError("requireAuthLevel(level): level must be 'mfa'")
  if (!auth) return unauthorized()
  if (auth.session.authLevel === 'mfa') return null
  return new ProblemError(problem(401, 'mfa-required', 'Unauthorized', 'Prove a second factor to continue.'))
}
