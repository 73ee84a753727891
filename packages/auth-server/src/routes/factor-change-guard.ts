import { isFreshAuthentication } from '@acme/auth-core'
import { authLevelError } from '../core/auth-level.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { SecondFactors } from '../config/second-factors-config.js'
import { problem } from '../errors/problem.js'
import { ProblemError, unauthorized } from '../errors/problem-error.js'
import type { Exchange } from '../http/exchange.js'

/**
 * Whether the user has a factor that signs in (a confirmed TOTP or a passkey; recovery codes only
 * back those up) from before `since`: one this session did not add itself.
 */
export async function hasFactorSince(factors: SecondFactors, userId: string, since: number): Promise<boolean> {
  const totp = await factors.store.getTotp(userId)
  if (totp?.confirmedAt != null && totp.confirmedAt < since) return true
  return (await factors.store.listPasskeys(userId)).some((passkey) => passkey.createdAt < since)
}

/**
 * The check before a route adds, replaces or removes a factor: a signed-in session (401), a recent
 * sign-in (401 `…/reauthenticate`: a stolen session cookie must not swap the factors), and, when
 * the user had a factor before this session signed in, a session that proved one (401
 * `…/mfa-required`: step up and retry). A password alone — on a remembered device, or where the
 * app's `shouldChallenge` let it through — must not replace the factor that stands between the
 * password and the account; a factor this session enrolled itself needs no second proof.
 */
export async function requireFactorChange(factors: SecondFactors, ex: Exchange): Promise<RequestAuth> {
  const auth = ex.auth
  if (!auth) throw unauthorized()
  if (!isFreshAuthentication(auth.session.authenticatedAt, factors.freshSessionSeconds, factors.clock.now())) {
    throw new ProblemError(problem(401, 'reauthenticate', 'Unauthorized', 'Sign in again to continue.'))
  }
  if (auth.session.authLevel !== 'mfa' && (await hasFactorSince(factors, auth.user.id, auth.session.authenticatedAt))) throw authLevelError(auth, 'mfa')!
  return auth
}
