/** A JSON value: what the session's `data` bag may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The app's small typed bag on a session (kept under {@link MAX_SESSION_DATA_BYTES} as JSON). */
export type SessionData = Record<string, JsonValue>

/** Largest `data` bag accepted, as JSON bytes: sessions are read on every request. */
export const MAX_SESSION_DATA_BYTES = 4096

/**
 * A server-side session as the app sees it. Times are epoch milliseconds from the manager's clock.
 * The `id` is public (safe to show in a device list and to log); the secret half of the token is
 * never part of a session and is never stored, only its SHA-256.
 */
export interface Session<Data extends SessionData = SessionData> {
  id: string
  userId: string
  createdAt: number
  lastSeenAt: number
  /** Sliding: moves forward on use (throttled), never past `absoluteExpiresAt`. */
  idleExpiresAt: number
  /** Fixed at creation: no amount of activity extends a session past it. */
  absoluteExpiresAt: number
  userAgent?: string
  /** The client address, or a coarse hint of it: whatever the binding chose to record. */
  ip?: string
  /** How the user proved who they are (`'password'`, `'oidc'`, `'mfa'`, …). */
  authLevel: string
  /** When the user last proved it: `requireFreshSession(maxAge)` compares against this. */
  authenticatedAt: number
  data: Data
}

/** What the caller knows when it creates a session. */
export interface SessionMeta<Data extends SessionData = SessionData> {
  userAgent?: string
  ip?: string
  /** @default 'password' */
  authLevel?: string
  data?: Data
}

/** A session as a store keeps it: the public session plus the SHA-256 of the token's secret. */
export interface SessionRecord extends Session {
  secretHash: string
}

/** When a session ends: the earlier of its idle and absolute expiry. */
export function sessionExpiresAt(session: Pick<Session, 'idleExpiresAt' | 'absoluteExpiresAt'>): number {
  return Math.min(session.idleExpiresAt, session.absoluteExpiresAt)
}
