// The `GET /auth/session` body is written by @acme/auth-server and read by @acme/auth-react. It is
// pure data, so it is defined here, once, where both can import it type-only without a runtime or
// cyclic dependency between the two (core stays free of HTTP code: this is only a shape).

/** The user as `GET /auth/session` describes it: only what the server chose to derive. */
export interface SessionUser {
  id: string
  email: string
  name: string
  /** Roles the server captured at sign-in. The client reflects them; it never derives its own. */
  roles: string[]
}

/** The current session as `GET /auth/session` describes it. `expiresAt` is an ISO 8601 instant. */
export interface SessionInfo {
  id: string
  expiresAt: string
  /** How the session was authenticated: `'password'`, `'oauth:<provider>'`, `'mfa'` (two factors), … */
  authLevel?: string
  /** RFC 8176 authentication method references of the sign-in (`pwd`, `otp`, `hwk`, `mfa`, …). */
  amr?: string[]
}

/**
 * The body of `GET /auth/session`, also what server rendering embeds for `<AuthProvider
 * initialSession>`: the signed-in user, the session and a CSRF token, or `{ user: null }`.
 *
 * @example
 * ```ts
 * const payload: SessionPayload = await (await fetch('/auth/session')).json()
 * if (payload.user) console.log(payload.user.email, payload.session.expiresAt)
 * ```
 */
export type SessionPayload = { user: SessionUser; session: SessionInfo; csrfToken: string } | { user: null }
