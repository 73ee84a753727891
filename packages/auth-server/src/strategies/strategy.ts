import type { RevocationReason, SessionFactor } from '@acme/auth-core'
import type { CookieKind } from '../cookies/cookie-policy.js'
import type { Exchange } from '../http/exchange.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { DirectoryUser } from '../core/user-directory.js'

/** Facts about the client kept with a session. */
export interface ClientInfo {
  userAgent?: string
  ip?: string
  requestId?: string
}

/** How a session was authenticated: its `authLevel`, and RFC 8176 `amr` with the factors' times. */
export interface SessionLevel {
  authLevel: string
  amr?: readonly string[]
  factors?: readonly SessionFactor[]
}

/** A level given as a bare `authLevel` string (older callers) or in full. */
export const levelOf = (level: string | SessionLevel): SessionLevel => (typeof level === 'string' ? { authLevel: level } : level)

/** A new session's identity and the cookies that carry it. */
export interface IssuedCredentials {
  auth: RequestAuth
  cookies: { kind: CookieKind; value: string; maxAgeMs: number }[]
}

/** How a strategy keeps identity between requests. Both strategies answer the same routes. */
export interface Strategy {
  readonly kind: 'session' | 'token'
  /**
   * The request's identity from its cookies, or `null`. Clears cookies that are no longer good.
   * Answers at once when nothing has to wait (a cached or in-memory session), else with a promise;
   * may throw where the promise would reject.
   */
  authenticate(ex: Exchange): RequestAuth | null | Promise<RequestAuth | null>
  /** A NEW session for `user` (never the one the client brought), with its cookies. */
  signIn(ex: Exchange, user: DirectoryUser, level: string | SessionLevel): Promise<RequestAuth>
  /** A new session and the cookies that carry it, without a request (tests, impersonation tools). */
  issue(user: DirectoryUser, level: string | SessionLevel, client: ClientInfo): Promise<IssuedCredentials>
  /**
   * Step-up: the request's session of `user` now has `level` (a factor proven just now), written
   * on the exchange. The session strategy rotates the token of the same session; the token
   * strategy starts a new session in place of the one its refresh cookie holds. `null` when the
   * request carries no live session of `user`.
   */
  elevate(ex: Exchange, user: DirectoryUser, level: SessionLevel): Promise<RequestAuth | null>
  /** Ends the request's session on the server and clears its cookies (`reason` for metrics and audit). */
  signOut(ex: Exchange, reason?: RevocationReason): Promise<void>
  /** Clears every identity cookie of this strategy. */
  clearCookies(ex: Exchange): void
  /**
   * The session id CSRF tokens of this request are bound to ('' before sign-in). The token
   * strategy may read the store for it when only the refresh cookie is left.
   */
  csrfBinding(ex: Exchange): string | Promise<string>
  /**
   * Whose live credentials this request carries when `ex.auth` is `null`: the token strategy's
   * refresh cookie once the access cookie lapsed (logout-all). `null` when there are none.
   */
  credentialOwner(ex: Exchange): Promise<{ userId: string; sessionId: string } | null>
  /**
   * A privilege change of `user`: the request's session gets a new token (the token strategy: a
   * new pair when the refresh cookie is visible, else a new access token with `user.roles`),
   * written on the exchange. `null` when the request carries no live session of `user`.
   */
  renew(ex: Exchange, user: DirectoryUser): Promise<RequestAuth | null>
}
