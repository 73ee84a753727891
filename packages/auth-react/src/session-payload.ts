/** The user as `GET /auth/session` describes it: only what the server chose to derive. */
export interface SessionUser {
  id: string
  email: string
  name: string
  roles: string[]
}

/** The body of `GET /auth/session` (shared/CONTRACT.md). */
export type SessionPayload =
  | { user: SessionUser; session: { id: string; expiresAt: string }; csrfToken: string }
  | { user: null }
