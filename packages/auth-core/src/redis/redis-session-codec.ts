import type { SessionRecord } from '../sessions/session.js'
import type { SessionPatch } from '../sessions/session-store.js'

// A session is one compact JSON string per key, not a hash: a hash with any value over 64 bytes
// (a browser's user agent) leaves Redis's compact listpack encoding and costs ~1 KB a session;
// the string costs about half. Short member names for the same reason. `d` holds the app's data
// bag as a JSON string, so Lua's cjson never re-encodes (and never rounds) the app's numbers.

/** The stored shape. */
export interface StoredSession {
  u: string
  h: string
  c: number
  l: number
  ie: number
  ae: number
  at: number
  ua?: string
  ip?: string
  al?: string
  d?: string
}

const defaultAuthLevel = 'password'

function compact(patch: SessionPatch | SessionRecord): Partial<StoredSession> {
  const out: Partial<StoredSession> = {}
  if ('userId' in patch) out.u = patch.userId
  if (patch.secretHash !== undefined) out.h = patch.secretHash
  if ('createdAt' in patch) out.c = patch.createdAt
  if (patch.lastSeenAt !== undefined) out.l = patch.lastSeenAt
  if (patch.idleExpiresAt !== undefined) out.ie = patch.idleExpiresAt
  if ('absoluteExpiresAt' in patch) out.ae = patch.absoluteExpiresAt
  if (patch.authenticatedAt !== undefined) out.at = patch.authenticatedAt
  if ('userAgent' in patch && patch.userAgent !== undefined) out.ua = patch.userAgent
  if ('ip' in patch && patch.ip !== undefined) out.ip = patch.ip
  if (patch.authLevel !== undefined) out.al = patch.authLevel
  if (patch.data !== undefined) out.d = JSON.stringify(patch.data)
  return out
}

/** The JSON stored for a new record (defaults left out). */
export function encodeSession(record: SessionRecord): string {
  const stored = compact(record)
  if (stored.al === defaultAuthLevel) delete stored.al
  if (stored.d === '{}') delete stored.d
  return JSON.stringify(stored)
}

/** The JSON object merged into a stored record by the update script. */
export function encodeSessionPatch(patch: SessionPatch): string {
  return JSON.stringify(compact(patch))
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/**
 * Rebuilds a record; `null` for a missing or foreign value. Runs on every uncached request, so it
 * checks field by field and builds the record without spreads (V8's slow generic path).
 */
export function decodeSession(id: string, json: string | null): SessionRecord | null {
  if (json === null) return null
  let stored: Partial<StoredSession>
  let data: SessionRecord['data']
  try {
    stored = JSON.parse(json) as Partial<StoredSession>
    data = stored.d === undefined || stored.d === null ? {} : (JSON.parse(stored.d) as SessionRecord['data'])
  } catch {
    return null
  }
  const { u: userId, h: secretHash, c: createdAt, l: lastSeenAt, ie: idleExpiresAt, ae: absoluteExpiresAt, at: authenticatedAt } = stored
  if (typeof userId !== 'string' || typeof secretHash !== 'string') return null
  if (!isTime(createdAt) || !isTime(lastSeenAt) || !isTime(idleExpiresAt) || !isTime(absoluteExpiresAt) || !isTime(authenticatedAt)) return null
  const record: SessionRecord = {
    id,
    userId,
    secretHash,
    createdAt,
    lastSeenAt,
    idleExpiresAt,
    absoluteExpiresAt,
    authLevel: stored.al ?? defaultAuthLevel,
    authenticatedAt,
    data,
  }
  if (stored.ua !== undefined) record.userAgent = stored.ua
  if (stored.ip !== undefined) record.ip = stored.ip
  return record
}
