import type { AuditSink } from '../audit/audit-event.js'
import { noopAuditSink } from '../audit/audit-event.js'
import { createAuditEmitter, type AuditContext } from '../audit/audit-emitter.js'
import { createStoreGuard } from '../lib/store-guard.js'
import { createAuthMetrics, type RevocationReason } from '../metrics/auth-metrics.js'
import { systemClock, type Clock } from '../clock.js'
import { randomToken, sha256 } from '../lib/crypto.js'
import { resolveSessionManagerConfig, type SessionManagerOptions } from './session-manager-config.js'
import { SessionCache } from './session-cache.js'
import { createSessionEndListeners, type SessionEndListener } from './session-end.js'
import type { SessionInvalidation, SessionStore } from './session-store.js'
import { createSessionLookup, toSession } from './session-lookup.js'
import { validateNowKey, type ValidateNowHook } from './validate-now.js'
import { formatSessionToken, SESSION_SECRET_BYTES } from './session-token.js'
import {
  authMethodData,
  checkRoles,
  MAX_SESSION_DATA_BYTES,
  SESSION_ROLES_KEY,
  type Session,
  type SessionData,
  type SessionFactor,
  type SessionMeta,
  type SessionRecord,
} from './session.js'

export type { SessionManagerOptions } from './session-manager-config.js'
export type { SessionEnd, SessionEndListener, SessionEndReason } from './session-end.js'

/** A valid session, and whether the binding should send the cookie again (its expiry moved). */
export interface ValidatedSession<Data extends SessionData = SessionData> {
  session: Session<Data>
  resendCookie: boolean
}

/** A session together with the token that proves it; the token exists only in this value. */
export interface IssuedSession<Data extends SessionData = SessionData> {
  token: string
  session: Session<Data>
}

/**
 * What a rotation may change: `authLevel`, `authenticated` (the user proved a factor just now:
 * `authenticatedAt` moves), and after a step-up the `amr` and `factors` recorded on the session.
 */
export interface SessionChanges {
  authLevel?: string
  authenticated?: boolean
  amr?: readonly string[]
  factors?: readonly SessionFactor[]
}

/** Facts for audit events about who asked (all optional). */
export type RequestContext = AuditContext

export interface SessionManager<Data extends SessionData = SessionData> {
  /** Starts a session for `userId` and returns its token (to put in a cookie) once. */
  create(userId: string, meta?: SessionMeta<Data>, context?: RequestContext): Promise<IssuedSession<Data>>
  /**
   * The session for a token, or `null` when the token is malformed, unknown, revoked or expired.
   * `{ fresh: true }` reads the store even when a cached copy exists (sensitive routes).
   * Throws `ERR_STORE_UNAVAILABLE` when the store cannot answer: never a session then.
   */
  validate(token: unknown, options?: { fresh?: boolean }): Promise<ValidatedSession<Data> | null>
  /**
   * A new token for the same session (sign-in, privilege change); the old token dies at once on
   * every instance. `null` when the token is not valid.
   */
  rotate(token: unknown, changes?: SessionChanges, context?: RequestContext): Promise<IssuedSession<Data> | null>
  /**
   * Ends one session (only if it belongs to `userId`, when given). Returns whether it existed.
   * `reason` labels the `sessions.ended` metric and the audit event. @default reason 'admin'
   */
  revoke(sessionId: string, options?: { userId?: string; reason?: RevocationReason }, context?: RequestContext): Promise<boolean>
  /** Ends every session of a user, except one (usually the current one). Returns how many ended. @default reason 'admin' */
  revokeAllForUser(userId: string, options?: { except?: string; reason?: RevocationReason }, context?: RequestContext): Promise<number>
  /** The user's live sessions, most recently used first (a device list). */
  listForUser(userId: string): Promise<Session<Data>[]>
  /**
   * Subscribes to sessions ending in this process: after `revoke()` (reason `'revoked'`), once per
   * ended id after `revokeAllForUser()` (`'revoked-all'`), and when `validate()`/`rotate()` meet an
   * expired session (`'expired'`). The ending call waits for the listeners; a listener that throws
   * or rejects never breaks it. A revocation done by another process (another instance, the CLI)
   * fires that process's listeners, not these. Returns an unsubscribe function.
   */
  onEnd(listener: SessionEndListener): () => void
  /**
   * Activity on a session known by id (a refresh-token rotation, a Bearer request): the live
   * session, its idle expiry slid (compare-and-set, throttled like `validate`, never past the
   * absolute lifetime), or `null` when it has ended. One store read, at most one write.
   */
  touch(sessionId: string): Promise<Session<Data> | null>
  /**
   * A user's roles changed: every live session of theirs now carries `roles`
   * (`SESSION_ROLES_KEY` in `data`). Returns how many sessions were rewritten. Pair it with
   * `RefreshFamilies.updateRoles` so refreshed access tokens carry them too.
   */
  updateRoles(userId: string, roles: readonly string[], context?: RequestContext): Promise<number>
  /** Stops listening for invalidations. */
  close(): void
}

/**
 * Creates the session manager: opaque `<id>.<secret>` tokens, only SHA-256(secret) at rest,
 * sliding idle expiry with throttled writes, an absolute limit, rotation and revocation.
 *
 * @example
 * ```ts
 * import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
 *
 * const sessions = createSessionManager({ store: new MemorySessionStore() })
 * const { token } = await sessions.create('user-1', { userAgent: 'curl/8' })
 * const result = await sessions.validate(token)
 * console.log(result?.session.userId) // 'user-1'
 * ```
 */
export function createSessionManager<Data extends SessionData = SessionData>(
  options: SessionManagerOptions,
): SessionManager<Data> {
  const config = resolveSessionManagerConfig(options)
  const store: SessionStore = config.store
  const clock: Clock = config.clock ?? systemClock
  const audit: AuditSink = config.audit ?? noopAuditSink
  const cache = config.cache ? new SessionCache(config.cache.maxEntries, config.cache.ttlMs) : undefined
  const unsubscribe = cache
    ? store.onInvalidate!((invalidation: SessionInvalidation) => {
        if (invalidation === 'all') cache.clear()
        else cache.delete(invalidation)
      })
    : () => {}

  const emit = createAuditEmitter(audit, clock)
  const ended = createSessionEndListeners()
  const metrics = config.metrics ?? createAuthMetrics()
  const guard = createStoreGuard('session store', { store: 'session', metrics })
  const lookup = createSessionLookup<Data>({ store, cache, clock, idleMs: config.idleMs, touchIntervalMs: config.touchIntervalMs, metrics, ended, guard })
  const { load } = lookup

  const manager: SessionManager<Data> = {
    async create(userId: string, meta: SessionMeta<Data> = {}, context?: RequestContext) {
      if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
        throw new TypeError('userId must be a non-empty string of at most 256 characters')
      }
      const data = {
        ...meta.data,
        ...(meta.roles === undefined ? {} : { [SESSION_ROLES_KEY]: checkRoles(meta.roles, 'meta.roles') }),
        ...authMethodData(meta, 'meta'),
      } as Data
      if (new TextEncoder().encode(JSON.stringify(data)).length > MAX_SESSION_DATA_BYTES) {
        throw new TypeError(`meta.data must serialise to at most ${MAX_SESSION_DATA_BYTES} bytes of JSON`)
      }
      const now = clock.now()
      const id = store.createId?.(userId) ?? randomToken(18)
      const secret = randomToken(SESSION_SECRET_BYTES)
      const absoluteExpiresAt = now + config.absoluteMs
      const record: SessionRecord = {
        id,
        userId,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: Math.min(now + config.idleMs, absoluteExpiresAt),
        absoluteExpiresAt,
        ...(meta.userAgent === undefined ? {} : { userAgent: meta.userAgent.slice(0, 512) }),
        ...(meta.ip === undefined ? {} : { ip: meta.ip.slice(0, 64) }),
        authLevel: meta.authLevel ?? 'password',
        authenticatedAt: now,
        data,
        secretHash: await sha256(secret),
      }
      await guard('create', () => store.create(record, now))
      emit({ type: 'SESSION_CREATED', outcome: 'success', userId, sessionId: id }, context)
      metrics.sessionCreated()
      return { token: formatSessionToken({ id, secret }), session: toSession(record) }
    },

    async validate(token: unknown, options: { fresh?: boolean } = {}) {
      return lookup.validate(token, options.fresh === true)
    },

    async rotate(token: unknown, changes: SessionChanges = {}, context?: RequestContext) {
      const now = clock.now()
      const record = await load(token, true, now)
      if (!record) return null
      const secret = randomToken(SESSION_SECRET_BYTES)
      const patch = {
        secretHash: await sha256(secret),
        lastSeenAt: now,
        idleExpiresAt: Math.min(now + config.idleMs, record.absoluteExpiresAt),
        ...(changes.authLevel === undefined ? {} : { authLevel: changes.authLevel }),
        ...(changes.authenticated === true ? { authenticatedAt: now } : {}),
        ...(changes.amr === undefined && changes.factors === undefined
          ? {}
          : { data: { ...record.data, ...authMethodData(changes, 'changes') } as Data }),
      }
      // Compare-and-set on the old hash: two concurrent rotations cannot both win.
      const applied = await guard('update', () => store.update(record.id, patch, now, record.secretHash))
      cache?.delete([record.id])
      if (!applied) return null
      emit({ type: 'SESSION_ROTATED', outcome: 'success', userId: record.userId, sessionId: record.id }, context)
      return { token: formatSessionToken({ id: record.id, secret }), session: toSession({ ...record, ...patch }) }
    },

    async revoke(sessionId: string, options: { userId?: string; reason?: RevocationReason } = {}, context?: RequestContext) {
      if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64) return false
      const deleted = await guard('delete', () => store.delete(sessionId, options.userId))
      cache?.delete([sessionId])
      if (deleted) {
        const reason = options.reason ?? 'admin'
        emit({ type: 'SESSION_REVOKED', outcome: 'success', sessionId, reason, ...(options.userId ? { userId: options.userId } : {}) }, context)
        metrics.sessionEnded(reason)
        await ended.notify({ sessionId, ...(options.userId ? { userId: options.userId } : {}), reason: 'revoked' })
      }
      return deleted
    },

    async revokeAllForUser(userId: string, options: { except?: string; reason?: RevocationReason } = {}, context?: RequestContext) {
      const ids = await guard('deleteAllForUser', () => store.deleteAllForUser(userId, options.except))
      cache?.delete(ids)
      const reason = options.reason ?? 'admin'
      emit({ type: 'SESSIONS_REVOKED_ALL', outcome: 'success', userId, reason, data: { count: ids.length } }, context)
      metrics.sessionEnded(reason, ids.length)
      await Promise.all(ids.map((sessionId) => ended.notify({ sessionId, userId, reason: 'revoked-all' })))
      return ids.length
    },

    async listForUser(userId: string) {
      const now = clock.now()
      const records = await guard('listForUser', () => store.listForUser(userId, now))
      return records
        .filter((record) => now < record.idleExpiresAt && now < record.absoluteExpiresAt)
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
        .map((record) => toSession<Data>(record))
    },

    onEnd: (listener: SessionEndListener) => ended.add(listener),

    async touch(sessionId: string) {
      if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64) return null
      const now = clock.now()
      const isLive = (record: SessionRecord | null): record is SessionRecord =>
        record !== null && now < record.idleExpiresAt && now < record.absoluteExpiresAt
      const record = await guard('get', () => store.get(sessionId, now))
      if (!isLive(record)) return null
      if (now - record.lastSeenAt < config.touchIntervalMs) return toSession(record)
      const patch = { lastSeenAt: now, idleExpiresAt: Math.min(now + config.idleMs, record.absoluteExpiresAt) }
      // Compare-and-set on the hash: a rotation in between wins (it slid the expiry itself).
      if (await guard('update', () => store.update(record.id, patch, now, record.secretHash))) return toSession({ ...record, ...patch })
      const again = await guard('get', () => store.get(sessionId, now))
      return isLive(again) ? toSession(again) : null
    },

    async updateRoles(userId: string, roles: readonly string[], context?: RequestContext) {
      if (typeof userId !== 'string' || userId.length === 0) throw new TypeError('userId must be a non-empty string')
      const next = checkRoles(roles, 'roles')
      const now = clock.now()
      const records = await guard('listForUser', () => store.listForUser(userId, now))
      let updated = 0
      for (const listed of records) {
        let record: SessionRecord | null = listed
        // Compare-and-set on the hash, so a concurrent rotation is not undone; re-read and retry.
        for (let attempt = 0; record && attempt < 3; attempt++) {
          const current: SessionRecord = record
          const data = { ...current.data, [SESSION_ROLES_KEY]: next }
          if (await guard('update', () => store.update(current.id, { data }, now, current.secretHash))) {
            updated++
            break
          }
          record = await guard('get', () => store.get(current.id, now))
        }
      }
      cache?.delete(records.map((record) => record.id))
      emit({ type: 'ROLES_UPDATED', outcome: 'success', userId, data: { sessions: updated } }, context)
      return updated
    },

    close: unsubscribe,
  }
  const hook: ValidateNowHook = { manager, now: (token) => lookup.validate(token, false) }
  Object.defineProperty(manager, validateNowKey, { value: Object.freeze(hook) })
  return Object.freeze(manager)
}
