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
}

/** The body of `GET /auth/session` (shared/CONTRACT.md). */
export type SessionPayload =
  | { user: SessionUser; session: SessionInfo; csrfToken: string }
  | { user: null }

/** One row of `GET /auth/sessions`: a device signed in to this account. Instants are ISO 8601. */
export interface DeviceSession {
  id: string
  createdAt: string
  lastSeenAt: string
  userAgent: string | null
  /** True for the session of this browser. */
  current: boolean
}

/** An RFC 9457 problem, the body of every error answer of an Acme Auth server. */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  code?: string
}
