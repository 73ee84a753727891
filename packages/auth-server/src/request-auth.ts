/** The user as a request sees it: identity and coarse roles, which the server can assert cheaply. */
export interface AuthUser {
  id: string
  roles: readonly string[]
}

/** The session behind a request (both strategies). Times are epoch milliseconds. */
export interface AuthSessionInfo {
  id: string
  expiresAt: number
  authLevel: string
  authenticatedAt: number
}

/** What `auth.middleware()` puts on `req.auth` when the request is signed in. */
export interface RequestAuth {
  user: AuthUser
  session: AuthSessionInfo
  /** How the request proved it: session cookie, access-token cookie, or a Bearer header (upstream APIs). */
  strategy: 'session' | 'token' | 'bearer'
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /**
       * Set by `auth.middleware()`: the signed-in identity, or `null` when the request is anonymous.
       * `undefined` means the middleware never ran (guards then fail loudly).
       */
      auth?: RequestAuth | null
    }
  }
}
