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
  /** RFC 8176 values of how the user signed in (`pwd`, `otp`, `mfa`, …); `[]` when the credential does not say (access tokens). */
  amr: readonly string[]
}

/** What `auth.middleware()` puts on `req.auth` when the request is signed in. */
export interface RequestAuth {
  user: AuthUser
  session: AuthSessionInfo
  /** How the request proved it: session cookie, access-token cookie, or a Bearer header (upstream APIs). */
  strategy: 'session' | 'token' | 'bearer'
}
