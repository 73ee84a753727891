import type { Session, SessionManager } from '@acme/auth-core'
import type { Request, Response } from 'express'
import { clearAuthCookies, setAuthCookie, type CookiePolicy } from './cookie-policy.js'
import { readCookie } from './lib/cookie-header.js'
import { requestIdOf } from './lib/request-id.js'
import { badRequest } from './problem-error.js'
import type { RequestAuth } from './request-auth.js'
import type { ClientInfo, Strategy } from './strategy.js'
import type { DirectoryUser } from './user-directory.js'

/** Session data key holding the roles captured at sign-in (refreshed on rotation). */
export const rolesKey = 'acme:roles'

export function authFromSession(session: Session, strategy: 'session' | 'token'): RequestAuth {
  const roles = session.data[rolesKey]
  return {
    user: { id: session.userId, roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [] },
    session: {
      id: session.id,
      expiresAt: Math.min(session.idleExpiresAt, session.absoluteExpiresAt),
      authLevel: session.authLevel,
      authenticatedAt: session.authenticatedAt,
    },
    strategy,
  }
}

/** A new server-side session for `user`, with the client facts and the roles captured now. */
export function createSessionFor(sessions: SessionManager, user: DirectoryUser, authLevel: string, client: ClientInfo) {
  return sessions.create(
    user.id,
    {
      ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent }),
      ...(client.ip === undefined ? {} : { ip: client.ip }),
      authLevel,
      data: { [rolesKey]: [...user.roles] },
    },
    client,
  )
}

/** Client facts kept on a session and in audit events: bounded, never trusted for decisions. */
export function clientOf(req: Request) {
  const userAgent = req.headers['user-agent']
  return {
    ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, 256) } : {}),
    ...(req.ip ? { ip: req.ip } : {}),
    requestId: requestIdOf(req),
  }
}

/**
 * The default strategy: an opaque session token in `__Host-sid`, the store read on every request
 * (through the revocation-aware cache when the manager has one). Revocation is instant.
 */
export function createSessionStrategy(sessions: SessionManager, cookies: CookiePolicy): Strategy {
  const readToken = (req: Request, res: Response): string | undefined => {
    const lookup = readCookie(req.headers.cookie, cookies.names.session)
    if (lookup.kind === 'duplicate') {
      clearAuthCookies(res, cookies, ['session', 'csrf'])
      throw badRequest('The session cookie was sent more than once.')
    }
    return lookup.kind === 'value' ? lookup.value : undefined
  }

  return {
    kind: 'session',

    async authenticate(req, res) {
      const token = readToken(req, res)
      if (token === undefined) return null
      const result = await sessions.validate(token)
      if (!result) {
        clearAuthCookies(res, cookies, ['session'])
        return null
      }
      const auth = authFromSession(result.session, 'session')
      if (result.resendCookie) setAuthCookie(res, cookies, 'session', token, auth.session.expiresAt - result.session.lastSeenAt)
      return auth
    },

    async issue(user, authLevel, client) {
      const { token, session } = await createSessionFor(sessions, user, authLevel, client)
      const auth = authFromSession(session, 'session')
      return { auth, cookies: [{ kind: 'session', value: token, maxAgeMs: auth.session.expiresAt - session.createdAt }] }
    },

    async signIn(req, res, user, authLevel) {
      // Session fixation: whatever session the client brought ends here; the new one is ours.
      const previous = readToken(req, res)
      if (previous !== undefined) {
        const old = await sessions.validate(previous, { fresh: true })
        if (old) await sessions.revoke(old.session.id)
      }
      const issued = await this.issue(user, authLevel, clientOf(req))
      for (const cookie of issued.cookies) setAuthCookie(res, cookies, cookie.kind, cookie.value, cookie.maxAgeMs)
      return issued.auth
    },

    async signOut(req, res) {
      const token = readToken(req, res)
      if (token !== undefined) {
        const current = await sessions.validate(token, { fresh: true })
        if (current) await sessions.revoke(current.session.id, { userId: current.session.userId }, clientOf(req))
      }
      clearAuthCookies(res, cookies, ['session', 'csrf'])
    },

    clearCookies(res) {
      clearAuthCookies(res, cookies, ['session', 'csrf'])
    },

    csrfBinding: (req) => req.auth?.session.id ?? '',
  }
}
