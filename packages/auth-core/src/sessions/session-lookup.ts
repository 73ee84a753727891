import type { Clock } from '../clock.js'
import { sha256, sha256Now, timingSafeEqual } from '../lib/crypto.js'
import { createSyncStoreGuard, type createStoreGuard } from '../lib/store-guard.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import { readNow, readsNow } from './read-now.js'
import type { SessionCache } from './session-cache.js'
import type { SessionEndListeners } from './session-end.js'
import type { ValidatedSession } from './session-manager.js'
import type { SessionStore } from './session-store.js'
import { parseSessionToken } from './session-token.js'
import type { Session, SessionData, SessionRecord } from './session.js'
import type { Awaitable } from './validate-now.js'

/** What a lookup shares with its session manager. */
export interface SessionLookupParts {
  store: SessionStore
  cache: SessionCache | undefined
  clock: Clock
  idleMs: number
  touchIntervalMs: number
  metrics: AuthMetrics
  ended: SessionEndListeners
  /** The manager's guard for store operations that answer with a promise. */
  guard: ReturnType<typeof createStoreGuard>
}

/**
 * A record as the app sees it: everything but the hash. Field by field, because a rest copy
 * (`{ secretHash, ...session }`) takes V8's slow generic path, and this runs on every request.
 */
export function toSession<Data extends SessionData = SessionData>(record: SessionRecord): Session<Data> {
  const session: Session = {
    id: record.id,
    userId: record.userId,
    createdAt: record.createdAt,
    lastSeenAt: record.lastSeenAt,
    idleExpiresAt: record.idleExpiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
    authLevel: record.authLevel,
    authenticatedAt: record.authenticatedAt,
    data: record.data,
  }
  if (record.userAgent !== undefined) session.userAgent = record.userAgent
  if (record.ip !== undefined) session.ip = record.ip
  return session as Session<Data>
}

/**
 * How a token becomes a live session, for the manager's `validate` and `rotate`: parsed, hashed,
 * read (the cache first unless `fresh`), checked in constant time and against both expiries, and
 * for `validate` the idle expiry slid when a touch is due. Each step answers at once when it need
 * not wait (a cache hit, a store that answers synchronously), so the usual request costs no promise.
 */
export function createSessionLookup<Data extends SessionData = SessionData>(parts: SessionLookupParts) {
  const { store, cache, clock, idleMs, touchIntervalMs, metrics, ended, guard } = parts
  const guardNow = createSyncStoreGuard('session store', { store: 'session', metrics })
  const storeNow = readsNow(store) ? store : undefined

  const keep = (stored: SessionRecord | null, now: number, generation: number) => {
    if (stored) cache?.set(stored, now, generation)
    return stored
  }

  const expire = async (record: SessionRecord) => {
    cache?.delete([record.id])
    metrics.sessionEnded('expired')
    await ended.notify({ sessionId: record.id, userId: record.userId, reason: 'expired' })
    return null
  }

  /** The record if the token's secret matches it and it is live; an expired one ends here. */
  const check = (record: SessionRecord | null, secretHash: string, now: number): Awaitable<SessionRecord | null> => {
    if (!record || !timingSafeEqual(record.secretHash, secretHash)) return null
    if (now < record.idleExpiresAt && now < record.absoluteExpiresAt) return record
    return expire(record)
  }

  /** The live record behind an id that the secret proves: the cached copy unless `fresh`, else the store's. */
  const find = (id: string, secretHash: string, now: number, fresh: boolean): Awaitable<SessionRecord | null> => {
    // Notices may be lost while the store is not listening: the cache cannot be trusted then.
    const cached = fresh || store.invalidationsLive?.() === false ? undefined : cache?.get(id, now)
    if (cached) return check(cached, secretHash, now)
    // Taken before the read: an invalidation that arrives during it must keep what it read out.
    const generation = cache?.generation ?? 0
    if (storeNow) {
      const stored = guardNow('get', () => storeNow[readNow](id, now))
      if (stored !== undefined) return check(keep(stored, now, generation), secretHash, now)
    }
    return guard('get', () => store.get(id, now)).then((stored) => check(keep(stored, now, generation), secretHash, now))
  }

  /** The live record a token proves at `now`, or `null`. */
  const load = (token: unknown, fresh: boolean, now: number): Awaitable<SessionRecord | null> => {
    const parts = parseSessionToken(token)
    if (!parts) return null
    const secretHash = sha256Now(parts.secret)
    // Only where the runtime hashes with Web Crypto alone does hashing wait.
    if (secretHash === undefined) return sha256(parts.secret).then((hash) => find(parts.id, hash, now, fresh))
    return find(parts.id, secretHash, now, fresh)
  }

  /** Slides the idle expiry: at most one write per touch interval per session, compare-and-set on the hash. */
  const slideIdleExpiry = async (record: SessionRecord, now: number): Promise<ValidatedSession<Data> | null> => {
    const patch = { lastSeenAt: now, idleExpiresAt: Math.min(now + idleMs, record.absoluteExpiresAt) }
    // Taken before the write: an invalidation that arrives during it must keep `touched` out.
    const generation = cache?.generation ?? 0
    const applied = await guard('update', () => store.update(record.id, patch, now, record.secretHash))
    if (!applied) {
      cache?.delete([record.id])
      return null
    }
    const touched = { ...record, ...patch }
    cache?.set(touched, now, generation)
    return { session: toSession<Data>(touched), resendCookie: true }
  }

  const slide = (record: SessionRecord | null, now: number): Awaitable<ValidatedSession<Data> | null> => {
    if (!record) return null
    if (now - record.lastSeenAt < touchIntervalMs) return { session: toSession<Data>(record), resendCookie: false }
    return slideIdleExpiry(record, now)
  }

  return {
    load,
    /** `SessionManager.validate`, without a promise when nothing has to wait. */
    validate(token: unknown, fresh: boolean): Awaitable<ValidatedSession<Data> | null> {
      const now = clock.now()
      const record = load(token, fresh, now)
      return record instanceof Promise ? record.then((loaded) => slide(loaded, now)) : slide(record, now)
    },
  }
}
