import { firstFactorLevel, type FirstFactor, type SecondFactorMethod } from '@acme/auth-core'
import { clearAuthCookies, setAuthCookie } from '../cookies/cookie-policy.js'
import { readCookie } from '../cookies/cookie-header.js'
import type { Exchange } from '../http/exchange.js'
import { clientOf, requireCookieWrites } from '../strategies/session-strategy.js'
import type { SessionLevel } from '../strategies/strategy.js'
import type { AuthContext } from './auth-context.js'
import type { RequestAuth } from './request-auth.js'
import { deviceCookieOf } from './trusted-device-cookie.js'
import type { DirectoryUser } from './user-directory.js'

/**
 * What a sign-in came to: a NEW session, or (a second factor is due) a pending sign-in and no
 * session at all: the `__Host-mfa` cookie is set, and the client asks for a code
 * (`POST /auth/mfa/verify`); a browser arriving from a redirect goes to `challengePage`.
 */
export type SignInOutcome =
  | { mfaRequired: false; auth: RequestAuth; csrfToken: string }
  | { mfaRequired: true; methods: SecondFactorMethod[]; expiresAt: number; challengePage: string }

/** Options of `signIn()`: the first factor the caller proved (or an older caller's `authLevel`). */
export interface SignInOptions {
  /** @default derived from `authLevel`: `'oauth:<name>'` is OAuth, `'email'` an email link, else a password */
  firstFactor?: FirstFactor
  /** @deprecated Name the `firstFactor`. Labels a session created without a second factor. */
  authLevel?: string
}

/** The gate's decision, before anything is written: the new session's level, or a pending sign-in. */
export type GateDecision =
  | { status: 'complete'; level: SessionLevel }
  | { status: 'mfa_required'; pendingToken: string; methods: SecondFactorMethod[]; expiresAt: number; challengePage: string }

/**
 * Asks core's gate about a proven first factor. Without `secondFactors` configured nobody has a
 * second factor: the session gets the first factor's `authLevel` and `amr`. A remembered device's
 * cookie goes to the gate too; one that names no live device of THIS user is cleared.
 */
export async function decideFirstFactor(ctx: AuthContext, ex: Exchange, userId: string, firstFactor: FirstFactor): Promise<GateDecision> {
  const factors = ctx.config.secondFactors
  if (!factors) return { status: 'complete', level: firstFactorLevel(firstFactor) }
  const cookie = deviceCookieOf(ctx, ex)
  const decision = await factors.gate.afterFirstFactor(userId, firstFactor, clientOf(ex), cookie === undefined ? {} : { cookie })
  if (decision.device === 'rejected') clearAuthCookies(ex, ctx.cookies, ['device'])
  if (decision.status === 'complete') return { status: 'complete', level: decision.session }
  const { pendingToken, methods, expiresAt } = decision
  return { status: 'mfa_required', pendingToken, methods, expiresAt, challengePage: factors.challengePage }
}

/**
 * THE sign-in of every first factor in this package (`POST /login`, `core.signIn()` and so OAuth
 * callbacks): core's gate decides, and a session exists only when it says so. `label` replaces
 * the `authLevel` of a session created without a second factor (older callers' `authLevel`).
 */
export async function signInThroughGate(
  ctx: AuthContext,
  ex: Exchange,
  user: DirectoryUser,
  firstFactor: FirstFactor,
  label?: string,
): Promise<SignInOutcome> {
  // Checked first: a pending sign-in whose cookie cannot reach the browser would be dead weight.
  requireCookieWrites(ex, 'signIn')
  const decision = await decideFirstFactor(ctx, ex, user.id, firstFactor)
  if (decision.status === 'mfa_required') {
    setAuthCookie(ex, ctx.cookies, 'mfa', decision.pendingToken, decision.expiresAt - ctx.config.secondFactors!.clock.now())
    const { methods, expiresAt, challengePage } = decision
    return { mfaRequired: true, methods, expiresAt, challengePage }
  }
  const level = label === undefined ? decision.level : { ...decision.level, authLevel: label }
  return { mfaRequired: false, ...(await startSession(ctx, ex, user, level)) }
}

/** A NEW session for a user the gate let through; a leftover pending cookie goes. */
export async function startSession(ctx: AuthContext, ex: Exchange, user: DirectoryUser, level: SessionLevel) {
  if (readCookie(ex.header('cookie'), ctx.cookies.names.mfa).kind !== 'absent') clearAuthCookies(ex, ctx.cookies, ['mfa'])
  const auth = await ctx.strategy.signIn(ex, user, level)
  ex.auth = auth
  return { auth, csrfToken: ctx.csrfTokenFor(ex, auth.session.id) }
}

/** The first factor an older caller's `authLevel` names; anything unknown goes through the gate as a password would. */
export function firstFactorOf(authLevel: string | undefined): FirstFactor {
  if (authLevel?.startsWith('oauth:') === true && authLevel.length > 6) return { method: 'oauth', provider: authLevel.slice(6) }
  if (authLevel === 'email') return { method: 'email_link' }
  return { method: 'password' }
}
