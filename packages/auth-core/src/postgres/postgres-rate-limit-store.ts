import type { RateLimitCounter, RateLimitStore } from '../rate-limit/rate-limit-store.js'
import { requireObject } from '../lib/options.js'
import { firstRow, postgresCall, toMillisOrNull, validateSchema, type PostgresPool } from './postgres-client.js'
import { storeDb } from './postgres-timeout.js'

/** Options of {@link createPostgresRateLimitStore}. */
export interface PostgresRateLimitStoreOptions {
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
}

interface Row {
  value: number
  expires_at: string | null
}

const toCounter = (row: Row): RateLimitCounter => ({ value: row.value, expiresAt: toMillisOrNull(row.expires_at) })

/**
 * Rate-limit counters in PostgreSQL (`rate_limits`), for `createLoginLimiter({ store })` when
 * several instances share limits. `add` is one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the
 * row lock makes concurrent adds count one after the other. The window end is in the limiter's
 * clock (`now` passed in), never the database's; expired counters are filtered by the query and
 * deleted by `prune()`.
 *
 * @example
 * ```ts
 * import { createLoginLimiter } from '@acme/auth-core'
 * import { createPostgresRateLimitStore } from '@acme/auth-core/postgres'
 *
 * const limiter = createLoginLimiter({ store: createPostgresRateLimitStore({ pool }) })
 * ```
 */
export function createPostgresRateLimitStore(options: PostgresRateLimitStoreOptions): RateLimitStore {
  const input = requireObject(options, 'options')
  const pool = storeDb(input)
  const table = `"${validateSchema(input.schema)}".rate_limits`
  // $1 key, $2 points, $3 window end or NULL, $4 now, $5 replace.
  const add = `INSERT INTO ${table} AS c (key, value, expires_at) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO UPDATE SET
      value = CASE WHEN $5 OR c.expires_at <= $4 THEN excluded.value ELSE c.value + excluded.value END,
      expires_at = CASE WHEN $5 OR c.expires_at <= $4 THEN excluded.expires_at ELSE c.expires_at END
    RETURNING value, expires_at`
  const get = `SELECT value, expires_at FROM ${table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`
  const remove = `DELETE FROM ${table} WHERE key = $1`

  return Object.freeze({
    async add(key: string, points: number, windowMs: number, now: number, replace: boolean) {
      const expiresAt = windowMs > 0 ? now + windowMs : null
      const row = await postgresCall('rate-limit add', () => firstRow<Row>(pool, add, [key, points, expiresAt, now, replace]))
      return toCounter(row!)
    },
    async get(key: string, now: number) {
      const row = await postgresCall('rate-limit get', () => firstRow<Row>(pool, get, [key, now]))
      return row ? toCounter(row) : null
    },
    async delete(key: string) {
      const result = await postgresCall('rate-limit delete', () => pool.query(remove, [key]))
      return (result.rowCount ?? 0) > 0
    },
  })
}
