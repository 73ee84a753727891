import { sessionAmr, type RevocationReason, type SessionPayload } from '@acme/auth-core'
import type { AuthContext } from '../core/auth-context.js'
import { empty, json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { badRequest, notFound, unauthorized } from '../errors/problem-error.js'
import { clientOf } from '../strategies/session-strategy.js'
import { publicUser } from './public-user.js'
import type { RequestAuth } from '../core/request-auth.js'
import { forgetTrustedDevices } from '../core/trusted-device-cookie.js'

const sessionIdPattern = /^[A-Za-z0-9_-]{16,64}$/

/**
 * `GET /csrf`: a CSRF token bound to what the CSRF check of the next unsafe request binds to: this
 * request's session, no session yet, or (token strategy) the session an expired access cookie
 * still names, so the client can `POST /refresh` with it.
 */
export async function csrfRoute(ctx: AuthContext, ex: Exchange): Promise<Answer> {
  // The same binding the CSRF check will use (the token strategy: also from the refresh cookie alone).
  return json({ csrfToken: ctx.csrfTokenFor(ex, await ctx.strategy.csrfBinding(ex)) })
}

/**
 * Ends the request's session: a Bearer-authenticated request (native client) carries no cookie,
 * so its session ends by id; otherwise the strategy ends what its cookies hold and clears them.
 */
export async function endSession(ctx: AuthContext, ex: Exchange, reason: RevocationReason = 'logout'): Promise<void> {
  const auth = ex.auth
  if (auth?.strategy === 'bearer') await ctx.config.sessions.revoke(auth.session.id, { userId: auth.user.id, reason }, clientOf(ex))
  else await ctx.strategy.signOut(ex, reason)
}

/** The body of `GET /session` for this request (also what server rendering embeds). */
export async function sessionPayload(ctx: AuthContext, ex: Exchange): Promise<SessionPayload> {
  const auth = ex.auth
  if (!auth) return { user: null }
  const user = await ctx.config.users.findById(auth.user.id)
  if (!user) {
    // The account is gone: its session must not outlive it.
    await endSession(ctx, ex, 'account_gone')
    return { user: null }
  }
  return {
    user: publicUser(user, auth.user.roles),
    session: {
      id: auth.session.id,
      expiresAt: new Date(auth.session.expiresAt).toISOString(),
      authLevel: auth.session.authLevel,
      amr: await amrOf(ctx, auth),
    },
    // A Bearer client sets no cookie and needs no CSRF token; one is still given for the shape.
    csrfToken: auth.strategy === 'bearer' ? ctx.csrf.issue(auth.session.id) : ctx.csrfTokenFor(ex, auth.session.id),
  }
}

/** The session's `amr`: access tokens carry only `acr`, so the token strategies read it from the session. */
async function amrOf(ctx: AuthContext, auth: RequestAuth): Promise<string[]> {
  if (auth.strategy === 'session') return [...auth.session.amr]
  const session = await ctx.config.sessions.touch(auth.session.id)
  return session ? sessionAmr(session) : []
}

/** `GET /session`: who am I, for server rendering and the React hooks. */
export async function sessionRoute(ctx: AuthContext, ex: Exchange): Promise<Answer> {
  return json(await sessionPayload(ctx, ex))
}

/** `POST /logout`: ends this session everywhere; 204 even when there was none. */
export async function logoutRoute(ctx: AuthContext, ex: Exchange): Promise<Answer> {
  await endSession(ctx, ex)
  if (ex.auth) ctx.audit(ex, { type: 'LOGOUT', outcome: 'success', userId: ex.auth.user.id, sessionId: ex.auth.session.id })
  return empty(204)
}

/**
 * `POST /logout-all`: ends every session of this user, this one included, and forgets their
 * remembered devices. Signed in, or holding
 * a live refresh cookie whose access cookie lapsed (token strategy): never a no-op 401 then.
 */
export async function logoutAllRoute(ctx: AuthContext, ex: Exchange): Promise<Answer> {
  const owner = ex.auth ? { userId: ex.auth.user.id, sessionId: ex.auth.session.id } : await ctx.strategy.credentialOwner(ex)
  if (!owner) throw unauthorized()
  await ctx.config.sessions.revokeAllForUser(owner.userId, { reason: 'logout_all' }, clientOf(ex))
  // Refresh families too (token strategy, native clients): none of them may mint again.
  await ctx.config.tokens?.refreshFamilies.revokeAllForUser(owner.userId, clientOf(ex))
  // "Sign out everywhere" means no browser skips the second factor any more either.
  await forgetTrustedDevices(ctx, ex, owner.userId, 'logout_all')
  if (ex.auth?.strategy !== 'bearer') ctx.strategy.clearCookies(ex)
  ctx.audit(ex, { type: 'LOGOUT', outcome: 'success', userId: owner.userId, sessionId: owner.sessionId, data: { everywhere: true } })
  return empty(204)
}

/** `GET /sessions`: this user's devices. */
export async function listSessionsRoute(ctx: AuthContext, ex: Exchange): Promise<Answer> {
  const auth = ex.auth
  if (!auth) throw unauthorized()
  const sessions = await ctx.config.sessions.listForUser(auth.user.id)
  return json(
    sessions.map((session) => ({
      id: session.id,
      createdAt: new Date(session.createdAt).toISOString(),
      lastSeenAt: new Date(session.lastSeenAt).toISOString(),
      userAgent: session.userAgent ?? null,
      current: session.id === auth.session.id,
    })),
  )
}

/** `DELETE /sessions/:id`: revoke one of MY sessions; 404 for any id that is not mine. */
export async function revokeSessionRoute(ctx: AuthContext, ex: Exchange, id: string | undefined): Promise<Answer> {
  const auth = ex.auth
  if (!auth) throw unauthorized()
  if (typeof id !== 'string' || !sessionIdPattern.test(id)) throw badRequest('Malformed session id.')
  const revoked = await ctx.config.sessions.revoke(id, { userId: auth.user.id, reason: 'device' }, clientOf(ex))
  if (!revoked) throw notFound()
  if (id === auth.session.id && auth.strategy !== 'bearer') ctx.strategy.clearCookies(ex)
  return empty(204)
}
