import type { Request, RequestHandler, Response } from 'express'
import type { AuthContext } from '../auth-context.js'
import { badRequest, notFound, unauthorized } from '../problem-error.js'
import { clientOf } from '../session-strategy.js'
import { publicUser } from './public-user.js'

/** What `GET /session` answers (shared/CONTRACT.md). */
export type SessionPayload =
  | { user: ReturnType<typeof publicUser>; session: { id: string; expiresAt: string }; csrfToken: string }
  | { user: null }

const sessionIdPattern = /^[A-Za-z0-9_-]{16,64}$/

/** `GET /csrf`: a CSRF token bound to this request's session (or to no session yet). */
export function csrfRoute(ctx: AuthContext): RequestHandler {
  return (req, res) => {
    res.json({ csrfToken: ctx.csrfTokenFor(req, res, req.auth?.session.id) })
  }
}

/** The body of `GET /session` for this request (also what server rendering embeds). */
export async function sessionPayload(ctx: AuthContext, req: Request, res: Response): Promise<SessionPayload> {
  const auth = req.auth
  if (!auth) return { user: null }
  const user = await ctx.config.users.findById(auth.user.id)
  if (!user) {
    // The account is gone: its session must not outlive it.
    await ctx.strategy.signOut(req, res)
    return { user: null }
  }
  return {
    user: publicUser(user, auth.user.roles),
    session: { id: auth.session.id, expiresAt: new Date(auth.session.expiresAt).toISOString() },
    csrfToken: ctx.csrfTokenFor(req, res, auth.session.id),
  }
}

/** `GET /session`: who am I, for server rendering and the React hooks. */
export function sessionRoute(ctx: AuthContext): RequestHandler {
  return async (req, res) => {
    res.json(await sessionPayload(ctx, req, res))
  }
}

/** `POST /logout`: ends this session everywhere; 204 even when there was none. */
export function logoutRoute(ctx: AuthContext): RequestHandler {
  return async (req, res) => {
    await ctx.strategy.signOut(req, res)
    if (req.auth) ctx.audit(req, { type: 'LOGOUT', outcome: 'success', userId: req.auth.user.id, sessionId: req.auth.session.id })
    res.status(204).end()
  }
}

/** `POST /logout-all`: ends every session of this user, this one included. */
export function logoutAllRoute(ctx: AuthContext): RequestHandler {
  return async (req, res) => {
    const auth = req.auth
    if (!auth) throw unauthorized()
    await ctx.config.sessions.revokeAllForUser(auth.user.id, {}, clientOf(req))
    // Refresh families too (token strategy, native clients): none of them may mint again.
    await ctx.config.tokens?.refreshFamilies.revokeAllForUser(auth.user.id, clientOf(req))
    ctx.strategy.clearCookies(res)
    ctx.audit(req, { type: 'LOGOUT', outcome: 'success', userId: auth.user.id, sessionId: auth.session.id, data: { everywhere: true } })
    res.status(204).end()
  }
}

/** `GET /sessions`: this user's devices. */
export function listSessionsRoute(ctx: AuthContext): RequestHandler {
  return async (req, res) => {
    const auth = req.auth
    if (!auth) throw unauthorized()
    const sessions = await ctx.config.sessions.listForUser(auth.user.id)
    res.json(
      sessions.map((session) => ({
        id: session.id,
        createdAt: new Date(session.createdAt).toISOString(),
        lastSeenAt: new Date(session.lastSeenAt).toISOString(),
        userAgent: session.userAgent ?? null,
        current: session.id === auth.session.id,
      })),
    )
  }
}

/** `DELETE /sessions/:id`: revoke one of MY sessions; 404 for any id that is not mine. */
export function revokeSessionRoute(ctx: AuthContext): RequestHandler {
  return async (req, res) => {
    const auth = req.auth
    if (!auth) throw unauthorized()
    const id = req.params.id
    if (typeof id !== 'string' || !sessionIdPattern.test(id)) throw badRequest('Malformed session id.')
    const revoked = await ctx.config.sessions.revoke(id, { userId: auth.user.id }, clientOf(req))
    if (!revoked) throw notFound()
    if (id === auth.session.id) ctx.strategy.clearCookies(res)
    res.status(204).end()
  }
}
