import type { AuditSink } from '../audit/audit-event.js'
import type { Clock } from '../clock.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import type { SessionStore } from './session-store.js'

const day = 24 * 60 * 60

/** Options of {@link createSessionManager}. */
export interface SessionManagerOptions {
  /** Where sessions live: `MemorySessionStore`, the Redis store, or your own. */
  store: SessionStore
  /** @default systemClock */
  clock?: Clock
  /** @default a sink that drops events */
  audit?: AuditSink
  /** Sessions created and ended, store latency. @default createAuthMetrics() (the global meter provider) */
  metrics?: AuthMetrics
  expiry?: {
    /** Idle timeout, sliding. @default 604800 (7 days) */
    idleSeconds?: number
    /** Absolute lifetime, from sign-in. @default 2592000 (30 days) */
    absoluteSeconds?: number
    /** At most one store write per session per this many seconds when sliding. @default 60 */
    touchIntervalSeconds?: number
  }
  /**
   * A per-instance cache of session lookups, invalidated on every instance on revocation through
   * the store's `onInvalidate` (the Redis store uses pub/sub). Off unless given.
   * @default false
   */
  cache?: false | { maxEntries?: number; ttlSeconds?: number }
}

export interface SessionManagerConfig {
  store: SessionStore
  clock: Clock | undefined
  audit: AuditSink | undefined
  metrics: AuthMetrics | undefined
  idleMs: number
  absoluteMs: number
  touchIntervalMs: number
  cache: { maxEntries: number; ttlMs: number } | undefined
}

export function resolveSessionManagerConfig(options: SessionManagerOptions): Readonly<SessionManagerConfig> {
  const input = requireObject(options, 'options')
  const store = requireMethods<SessionStore>(input.store, 'options.store', [
    'create', 'get', 'update', 'delete', 'deleteAllForUser', 'listForUser',
  ])
  const clock = input.clock === undefined ? undefined : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const audit = input.audit === undefined ? undefined : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const metrics = input.metrics === undefined ? undefined : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['sessionCreated', 'sessionEnded', 'storeOperation'])
  const expiry = input.expiry === undefined ? {} : requireObject(input.expiry, 'options.expiry')
  const absoluteSeconds = optionalNumber(expiry.absoluteSeconds, 'options.expiry.absoluteSeconds', 30 * day, { min: 60, max: 400 * day })
  const idleSeconds = optionalNumber(expiry.idleSeconds, 'options.expiry.idleSeconds', Math.min(7 * day, absoluteSeconds), { min: 60, max: absoluteSeconds })
  const touchIntervalSeconds = optionalNumber(expiry.touchIntervalSeconds, 'options.expiry.touchIntervalSeconds', 60, { min: 0, max: idleSeconds / 2 })

  let cache: SessionManagerConfig['cache']
  if (input.cache !== undefined && input.cache !== false) {
    const cacheOptions = requireObject(input.cache, 'options.cache')
    if (typeof store.onInvalidate !== 'function') {
      // A cache without revocation notices would serve revoked sessions: fail at start-up instead.
      throw new TypeError('options.cache needs a store with onInvalidate() (revocation broadcast)')
    }
    cache = {
      maxEntries: optionalNumber(cacheOptions.maxEntries, 'options.cache.maxEntries', 10_000, { min: 1, max: 10_000_000, integer: true }),
      ttlMs: 1000 * optionalNumber(cacheOptions.ttlSeconds, 'options.cache.ttlSeconds', 30, { min: 0.001, max: 60 }),
    }
  }
  return Object.freeze({
    store,
    clock,
    audit,
    metrics,
    idleMs: idleSeconds * 1000,
    absoluteMs: absoluteSeconds * 1000,
    touchIntervalMs: touchIntervalSeconds * 1000,
    cache,
  })
}
