import type { SessionPayload } from '@acme/auth-react'

/** The pages the web app renders on the server and hydrates in the browser. */
export type PageName = 'login' | 'dashboard' | 'note' | 'sessions' | 'admin' | 'forbidden' | 'not-found'

/** What the server tells the client about the page it rendered (no secret, no token). */
export interface PageState {
  page: PageName
  strategy: 'session' | 'token'
  /** Where to go after sign-in: a same-origin path. */
  returnTo: string
  /** The note a `/notes/:id` page shows. */
  noteId?: string
  /** The login page after a failed sign-in at the demo IdP. */
  error?: 'oauth'
}

/** The JSON embedded in every page and read back by the client before hydration. */
export interface InitialState {
  session: SessionPayload
  page: PageState
}

/** A note as the upstream API returns it. */
export interface Note {
  id: string
  ownerId: string
  title: string
  body: string
  updatedAt: string
}

/** `GET /admin/api/overview`. */
export interface AdminOverview {
  users: { id: string; email: string; name: string; roles: string[]; sessions: number }[]
  keys: { kid: string; alg: string; status: string; createdAt: string; activatesAt: string; retiresAt: string | null }[]
  events: { type: string; at: string; outcome: string; userId?: string; sessionId?: string; reason?: string; ip?: string }[]
}

/** A same-origin path (`/x`, not `//host` or `/\host`), else `/`: open redirects stop here. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) return '/'
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/'
}
