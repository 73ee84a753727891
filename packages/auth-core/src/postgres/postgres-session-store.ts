import type { SessionData } from '../sessions/session.js'
import type { SessionRecord } from '../sessions/session.js'
import type { SessionInvalidation, SessionPatch, SessionStore } from '../sessions/session-store.js'
import { requireMethods, requireObject } from '../lib/options.js'
import { createAuthMetrics, type AuthMetrics } from '../metrics/auth-metrics.js'
import { PostgresInvalidationListener, type ListenHeartbeat } from './postgres-invalidation-listener.js'
import { firstRow, postgresCall, requirePool, toMillis, validateSchema, type PostgresPool } from './postgres-client.js'
import { boundedDb, storeTimeout, type StoreDb } from './postgres-timeout.js'

/** Options of {@link PostgresSessionStore}. */
export interface PostgresSessionStoreOptions {
  /** A node-postgres `Pool` (migrated with `migrate()`). */
  pool: PostgresPool
  /** @default 'acme_auth' */
  schema?: string
  /**
   * Bound on every query of the store, waiting for a pooled connection included: past it the
   * operation fails with `ERR_STORE_UNAVAILABLE` (503 at the server) and the connection is
   * dropped, so a frozen database cannot hold requests. @default 2000
   */
  timeoutMs?: number
  /**
   * Where the invalidation listener takes its one dedicated connection (held while a manager
   * listens). A pool of its own (`max: 1`) keeps it off the app's pool. @default pool
   */
  listenPool?: PostgresPool
  /**
   * The listener's liveness check: `SELECT 1` on its connection every `intervalMs`; no answer
   * within `timeoutMs` and it reconnects, the managers' caches bypassed until it listens again
   * (a frozen database is otherwise noticed only by TCP keepalive). `false` turns it off.
   * @default { intervalMs: 5000, timeoutMs: 2000 }
   */
  listenHeartbeat?: ListenHeartbeat | false
  /**
   * Where the listener reports its liveness (the `revocation_listener.up` gauge, store
   * `postgres`) and its reconnects. @default createAuthMetrics(), the global meter provider
   */
  metrics?: AuthMetrics
}

interface Row {
  id: string
  user_id: string
  secret_hash: string
  created_at: string
  last_seen_at: string
  idle_expires_at: string
  absolute_expires_at: string
  user_agent: string | null
  ip: string | null
  auth_level: string
  authenticated_at: string
  data: SessionData
}

const columns =
  'id, user_id, secret_hash, created_at, last_seen_at, idle_expires_at, absolute_expires_at, user_agent, ip, auth_level, authenticated_at, data'

// The patchable fields and their columns (SessionPatch keys only: nothing else reaches SQL text).
const patchColumns = {
  secretHash: 'secret_hash',
  lastSeenAt: 'last_seen_at',
  idleExpiresAt: 'idle_expires_at',
  authLevel: 'auth_level',
  authenticatedAt: 'authenticated_at',
  data: 'data',
} as const satisfies Record<keyof SessionPatch, string>

// A NOTIFY payload is at most 8000 bytes: past that, tell every instance to drop everything.
const maxPayload = 7900

/**
 * Sessions in PostgreSQL (`sessions`, one row each, indexed by user), only the SHA-256 of each
 * secret. Each operation is one statement: rotation is `UPDATE … WHERE secret_hash = expected`,
 * revocations are `DELETE … RETURNING` whose `pg_notify` runs in the same statement, so the
 * notice is sent exactly when the revocation commits. A `LISTEN` on a dedicated connection feeds
 * the managers' caches; while it is down, every read tells the cache to keep nothing. Reads never
 * write or delete: expired rows are filtered out and removed by `prune()`.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import { createSessionManager } from '@acme/auth-core'
 * import { migrate, PostgresSessionStore } from '@acme/auth-core/postgres'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await migrate(pool)
 * const sessions = createSessionManager({ store: new PostgresSessionStore({ pool }), cache: { ttlSeconds: 30 } })
 * ```
 */
export class PostgresSessionStore implements SessionStore {
  readonly #pool: StoreDb
  readonly #table: string
  readonly #channel: string
  readonly #listeners = new Set<(invalidation: SessionInvalidation) => void>()
  readonly #listener: PostgresInvalidationListener
  readonly #sql: { insert: string; get: string; delete: string; deleteAll: string; list: string }

  constructor(options: PostgresSessionStoreOptions) {
    const input = requireObject(options, 'options')
    const pool = requirePool(input.pool)
    this.#pool = boundedDb(pool, storeTimeout(input.timeoutMs)).db
    const listenPool = input.listenPool === undefined ? pool : requirePool(input.listenPool)
    const schema = validateSchema(input.schema)
    const table = (this.#table = `"${schema}".sessions`)
    this.#channel = `acme_auth_sessions_${schema}`
    const metrics =
      input.metrics === undefined ? createAuthMetrics() : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['revocationListener', 'revocationListenerReconnect'])
    this.#listener = new PostgresInvalidationListener(
      listenPool,
      this.#channel,
      (invalidation) => this.#notify(invalidation),
      heartbeatOf(input.listenHeartbeat as ListenHeartbeat | false | undefined),
      metrics,
    )
    const live = 'idle_expires_at > $2 AND absolute_expires_at > $2'
    this.#sql = {
      insert: `INSERT INTO ${table} (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      get: `SELECT ${columns} FROM ${table} WHERE id = $1 AND ${live}`,
      delete: `WITH gone AS (DELETE FROM ${table} WHERE id = $1 AND ($2::text IS NULL OR user_id = $2) RETURNING id)
        SELECT id, pg_notify($3, json_build_array(id)::text) FROM gone`,
      deleteAll: `WITH gone AS (DELETE FROM ${table} WHERE user_id = $1 AND ($2::text IS NULL OR id <> $2) RETURNING id),
        ids AS (SELECT coalesce(json_agg(id), '[]')::text AS ids FROM gone)
        SELECT ids, CASE WHEN ids <> '[]' THEN pg_notify($3, CASE WHEN length(ids) > ${maxPayload} THEN '"all"' ELSE ids END) END FROM ids`,
      list: `SELECT ${columns} FROM ${table} WHERE user_id = $1 AND ${live} ORDER BY last_seen_at DESC`,
    }
  }

  async create(record: SessionRecord, _now: number): Promise<void> {
    await postgresCall('session create', () =>
      this.#pool.query(this.#sql.insert, [
        record.id, record.userId, record.secretHash, record.createdAt, record.lastSeenAt, record.idleExpiresAt,
        record.absoluteExpiresAt, record.userAgent ?? null, record.ip ?? null, record.authLevel, record.authenticatedAt,
        JSON.stringify(record.data),
      ]),
    )
  }

  async get(id: string, now: number): Promise<SessionRecord | null> {
    // Without a listener nobody would hear of a revocation elsewhere: this bumps the manager's
    // cache generation, so what this read returns is not cached.
    if (!this.#listener.healthy) this.#notify('all')
    const row = await postgresCall('session get', () => firstRow<Row>(this.#pool, this.#sql.get, [id, now]))
    return row ? toRecord(row) : null
  }

  async update(id: string, patch: SessionPatch, now: number, expectedSecretHash?: string): Promise<boolean> {
    const values: unknown[] = [id, now, expectedSecretHash ?? null]
    const sets: string[] = []
    for (const [field, column] of Object.entries(patchColumns) as [keyof SessionPatch, string][]) {
      const value = patch[field]
      if (value === undefined) continue
      values.push(field === 'data' ? JSON.stringify(value) : value)
      sets.push(`${column} = $${values.length}`)
    }
    if (sets.length === 0) return false
    const broadcast = patch.secretHash !== undefined || patch.data !== undefined || patch.authLevel !== undefined
    const update = `UPDATE ${this.#table} SET ${sets.join(', ')}
      WHERE id = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2 AND ($3::text IS NULL OR secret_hash = $3) RETURNING id`
    let text = update
    if (broadcast) {
      values.push(this.#channel)
      text = `WITH changed AS (${update}) SELECT id, pg_notify($${values.length}, json_build_array(id)::text) FROM changed`
    }
    const result = await postgresCall('session update', () => this.#pool.query(text, values))
    // The manager caches the slid record right after this returns: while no notice can reach
    // it, clear that entry again on the next turn of the event loop.
    if (!this.#listener.healthy && this.#listeners.size > 0) setImmediate(() => this.#notify('all'))
    return result.rowCount === 1
  }

  async delete(id: string, userId?: string): Promise<boolean> {
    const result = await postgresCall('session delete', () => this.#pool.query(this.#sql.delete, [id, userId ?? null, this.#channel]))
    return result.rowCount === 1
  }

  async deleteAllForUser(userId: string, exceptId?: string): Promise<string[]> {
    const row = await postgresCall('session deleteAllForUser', () =>
      firstRow<{ ids: string }>(this.#pool, this.#sql.deleteAll, [userId, exceptId ?? null, this.#channel]),
    )
    return JSON.parse(row?.ids ?? '[]') as string[]
  }

  async listForUser(userId: string, now: number): Promise<SessionRecord[]> {
    const { rows } = await postgresCall('session listForUser', () => this.#pool.query<Row>(this.#sql.list, [userId, now]))
    return rows.map(toRecord)
  }

  onInvalidate(listener: (invalidation: SessionInvalidation) => void): () => void {
    this.#listeners.add(listener)
    this.#listener.start()
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /**
   * Resolves once invalidation notices are flowing (the channel is listened to), for start-up
   * checks and tests. Resolves at once when no manager listens.
   */
  ready(): Promise<void> {
    return this.#listener.ready()
  }

  /** Whether the invalidation listener is connected (while it is not, managers cache nothing). */
  get listening(): boolean {
    return this.#listener.healthy
  }

  /** Closes the listener's dedicated connection (not the pool you passed). */
  close(): Promise<void> {
    this.#listener.close()
    return Promise.resolve()
  }

  #notify(invalidation: SessionInvalidation): void {
    for (const listener of this.#listeners) listener(invalidation)
  }
}

function toRecord(row: Row): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    secretHash: row.secret_hash,
    createdAt: toMillis(row.created_at),
    lastSeenAt: toMillis(row.last_seen_at),
    idleExpiresAt: toMillis(row.idle_expires_at),
    absoluteExpiresAt: toMillis(row.absolute_expires_at),
    authLevel: row.auth_level,
    authenticatedAt: toMillis(row.authenticated_at),
    data: row.data,
    ...(row.user_agent === null ? {} : { userAgent: row.user_agent }),
    ...(row.ip === null ? {} : { ip: row.ip }),
  }
}

/** Validates `listenHeartbeat`: whole milliseconds, an answer due before the next beat. */
function heartbeatOf(value: ListenHeartbeat | false | undefined): ListenHeartbeat | false {
  if (value === undefined || value === false) return value ?? {}
  const ms = (name: keyof ListenHeartbeat, fallback: number) => {
    const given = value[name] ?? fallback
    if (!Number.isInteger(given) || given < 10 || given > 600_000) throw new TypeError(`options.listenHeartbeat.${name} must be whole milliseconds from 10 to 600000`)
    return given
  }
  const intervalMs = ms('intervalMs', 5_000)
  const timeoutMs = ms('timeoutMs', 2_000)
  if (timeoutMs >= intervalMs) throw new TypeError('options.listenHeartbeat.timeoutMs must be shorter than intervalMs')
  return { intervalMs, timeoutMs }
}
