import type { SessionPayload } from '@acme/auth-react'

/** The pages the web app renders on the server and hydrates in the browser. */
export type PageName =
  | 'login'
  | 'dashboard'
  | 'note'
  | 'sessions'
  | 'admin'
  | 'forbidden'
  | 'not-found'
  | 'signup'
  | 'forgot-password'
  | 'reset-password'
  | 'verify-email'
  | 'account'
  | 'security'
  | 'outbox'

/** The pages anyone may open, signed in or not. */
export const publicPages: ReadonlySet<PageName> = new Set<PageName>(['login', 'not-found', 'signup', 'forgot-password', 'reset-password', 'verify-email', 'outbox'])

/** One mail of the development outbox, as `GET /dev/outbox` lists it (newest first). */
export interface OutboxEntry {
  to: string
  subject: string
  text: string
  links: string[]
}

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
  /** The login page as the challenge page of an OAuth sign-in that still needs a second factor. */
  mfaPending?: true
  /** The login page after a password reset or an account deletion. */
  notice?: 'password-reset' | 'account-deleted'
  /** Development: mail is kept at `/dev/outbox` (the pages link to it). */
  devOutbox?: boolean
  /** The `/dev/outbox` page's mails. */
  outbox?: OutboxEntry[]
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
  /** `secondFactors`: the methods the user can answer a challenge with (`totp`, `recovery`, `passkey`). */
  users: { id: string; email: string; name: string; roles: string[]; sessions: number; secondFactors: string[] }[]
  keys: { kid: string; alg: string; status: string; createdAt: string; activatesAt: string; retiresAt: string | null }[]
  events: { type: string; at: string; outcome: string; userId?: string; sessionId?: string; reason?: string; ip?: string }[]
}

/** A same-origin path (`/x`, not `//host` or `/\host`), else `/`: open redirects stop here. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) return '/'
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/'
}

/** One sample of the admin page's health panel: rates per minute since the previous sample. */
export interface HealthPoint {
  at: string
  signInsPerMinute: { success: number; failure: number }
  /** Sign-in latency over the last minute, from the histogram's buckets (upper bounds), or null with no sign-in. */
  signInLatencyMs: { p50: number | null; p95: number | null }
  refreshesPerMinute: number
  reuseDetections: number
  /** Sessions created minus sessions ended since the demo started (expiry seen by this process included). */
  activeSessions: number
  bffErrorsPerMinute: number
}

/** `GET /admin/api/health`: the last samples, oldest first. */
export interface HealthSeries {
  sampledEverySeconds: number
  points: HealthPoint[]
}
