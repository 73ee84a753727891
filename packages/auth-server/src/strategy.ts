import type { Request, Response } from 'express'
import type { CookieKind } from './cookie-policy.js'
import type { RequestAuth } from './request-auth.js'
import type { DirectoryUser } from './user-directory.js'

/** Facts about the client kept with a session. */
export interface ClientInfo {
  userAgent?: string
  ip?: string
  requestId?: string
}

/** A new session's identity and the cookies that carry it. */
export interface IssuedCredentials {
  auth: RequestAuth
  cookies: { kind: CookieKind; value: string; maxAgeMs: number }[]
}

/** How a strategy keeps identity between requests. Both strategies answer the same routes. */
export interface Strategy {
  readonly kind: 'session' | 'token'
  /** The request's identity from its cookies, or `null`. Clears cookies that are no longer good. */
  authenticate(req: Request, res: Response): Promise<RequestAuth | null>
  /** A NEW session for `user` (never the one the client brought), with its cookies. */
  signIn(req: Request, res: Response, user: DirectoryUser, authLevel: string): Promise<RequestAuth>
  /** A new session and the cookies that carry it, without a request (tests, impersonation tools). */
  issue(user: DirectoryUser, authLevel: string, client: ClientInfo): Promise<IssuedCredentials>
  /** Ends the request's session on the server and clears its cookies. */
  signOut(req: Request, res: Response): Promise<void>
  /** Clears every identity cookie of this strategy. */
  clearCookies(res: Response): void
  /** The session id CSRF tokens of this request are bound to ('' before sign-in). */
  csrfBinding(req: Request): string
}
