import { sessionAmr, sessionRoles, type Session, type SessionManager, type ValidatedSession } from '@acme/auth-core'
import { validateNow } from '@acme/auth-core/internal'
import { clearAuthCookies, setAuthCookie, type CookiePolicy } from '../cookies/cookie-policy.js'
import type { Exchange } from '../http/exchange.js'
import { requestIdOf } from '../http/request-id.js'
import { readCookie } from '../cookies/cookie-header.js'
import { badRequest } from '../errors/problem-error.js'
import type { RequestAuth } from '../core/request-auth.js'
import { levelOf, type ClientInfo, type SessionLevel, type Strategy } from './strategy.js'
import type { DirectoryUser } from '../core/user-directory.js'

export function authFromSession(session: Session, strategy: 'session' | 'token'): RequestAuth {
  return {
    user: { id: session.userId, roles: sessionRoles(session) },
    session: {
      id: session.id,
      expiresAt: Math.min(session.idleExpiresAt, session.absoluteExpiresAt),
      authLevel: session.authLevel,
      authenticatedAt: session.authenticatedAt,
      amr: sessionAmr(session),
    },
    strategy,
  }
}

/**
 * Session data key marking a native client's session: only such a session may act on `/auth/*`
 * with a Bearer token (a BFF-minted token handed to an upstream API must not sign the user out).
 */
export const nativeSessionKey = 'acme:native'

/** Whether a session was started by a native sign-in. */
export const isNativeSession = (session: Session): boolean => session.data[nativeSessionKey] === true

/** A new server-side session for `user`, with the client facts and the roles captured now. */
export function createSessionFor(sessions: SessionManager, user: DirectoryUser, level: string | SessionLevel, client: ClientInfo, options: { native?: boolean } = {}) {
  const { authLevel, amr, factors } = levelOf(level)
  return sessions.create(
    user.id,
    {
      ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent }),
      ...(client.ip === undefined ? {} : { ip: client.ip }),
      authLevel,
      ...(amr === undefined ? {} : { amr }),
      ...(factors === undefined ? {} : { factors }),
      roles: user.roles,
      ...(options.native === true ? { data: { [nativeSessionKey]: true } } : {}),
    },
    client,
  )
}

/** Refuses to start a session whose cookie could not reach the browser (a Server Component). */
export function requireCookieWrites(ex: Exchange, what: string): void {
  if (!ex.canWriteCookies) {
    throw new TypeError(`${what} must run where cookies can be written (a route handler or Server Action, not a Server Component)`)
  }
}

/** Client facts kept on a session and in audit events: bounded, never trusted for decisions. */
export function clientOf(ex: Exchange): ClientInfo {
  const userAgent = ex.header('user-agent')
  return {
    ...(userAgent === undefined ? {} : { userAgent: userAgent.slice(0, 256) }),
    ...(ex.ip ? { ip: ex.ip } : {}),
    requestId: requestIdOf(ex),
  }
}

/**
 * The default strategy: an opaque session token in `__Host-sid`, the store read on every request
 * (through the revocation-aware cache when the manager has one). Revocation is instant.
 */
export function createSessionStrategy(sessions: SessionManager, cookies: CookiePolicy): Strategy {
  const readToken = (ex: Exchange): string | undefined => {
    const lookup = readCookie(ex.header('cookie'), cookies.names.session)
    if (lookup.kind === 'duplicate') {
      clearAuthCookies(ex, cookies, ['session', 'csrf'])
      throw badRequest('The session cookie was sent more than once.')
    }
    return lookup.kind === 'value' ? lookup.value : undefined
  }

  /** What a validation means for the request: its identity, and the cookie cleared or its Max-Age following the slid expiry. */
  const accept = (ex: Exchange, token: string, result: ValidatedSession | null): RequestAuth | null => {
    if (!result) {
      clearAuthCookies(ex, cookies, ['session'])
      return null
    }
    const auth = authFromSession(result.session, 'session')
    // The store slid the idle expiry; the cookie's Max-Age follows where a cookie can be written.
    if (result.resendCookie) setAuthCookie(ex, cookies, 'session', token, auth.session.expiresAt - result.session.lastSeenAt)
    return auth
  }

  /** A new token for the request's own session of `user`, with `changes`; the cookie follows. */
  async function rotateOwn(ex: Exchange, user: DirectoryUser, changes: Parameters<SessionManager['rotate']>[1]) {
    // A new token the browser would never receive would sign it out: keep the current one.
    if (!ex.canWriteCookies) return null
    const token = readToken(ex)
    if (token === undefined) return null
    const current = await sessions.validate(token, { fresh: true })
    if (current?.session.userId !== user.id) return null
    const rotated = await sessions.rotate(token, changes, clientOf(ex))
    if (!rotated) return null
    const auth = authFromSession(rotated.session, 'session')
    setAuthCookie(ex, cookies, 'session', rotated.token, auth.session.expiresAt - rotated.session.lastSeenAt)
    return auth
  }

  return {
    kind: 'session',

    authenticate(ex) {
      const token = readToken(ex)
      if (token === undefined) return null
      const result = validateNow(sessions, token)
      return result instanceof Promise ? result.then((validated) => accept(ex, token, validated)) : accept(ex, token, result)
    },

    async issue(user, level, client) {
      const { token, session } = await createSessionFor(sessions, user, level, client)
      const auth = authFromSession(session, 'session')
      return { auth, cookies: [{ kind: 'session', value: token, maxAgeMs: auth.session.expiresAt - session.createdAt }] }
    },

    async signIn(ex, user, level) {
      requireCookieWrites(ex, 'signIn')
      // Session fixation: whatever session the client brought ends here; the new one is ours.
      const previous = readToken(ex)
      if (previous !== undefined) {
        const old = await sessions.validate(previous, { fresh: true })
        if (old) await sessions.revoke(old.session.id, { reason: 'replaced' })
      }
      const issued = await this.issue(user, level, clientOf(ex))
      for (const cookie of issued.cookies) setAuthCookie(ex, cookies, cookie.kind, cookie.value, cookie.maxAgeMs)
      return issued.auth
    },

    async signOut(ex, reason = 'logout') {
      const token = readToken(ex)
      if (token !== undefined) {
        const current = await sessions.validate(token, { fresh: true })
        if (current) await sessions.revoke(current.session.id, { userId: current.session.userId, reason }, clientOf(ex))
      }
      clearAuthCookies(ex, cookies, ['session', 'csrf'])
    },

    clearCookies(ex) {
      clearAuthCookies(ex, cookies, ['session', 'csrf'])
    },

    csrfBinding: (ex) => ex.auth?.session.id ?? '',

    credentialOwner: () => Promise.resolve(null),

    renew: (ex, user) => rotateOwn(ex, user, {}),

    elevate: (ex, user, level) => rotateOwn(ex, user, { ...level, authenticated: true }),
  }
}
