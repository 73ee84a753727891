import { systemClock, type Clock } from '../clock.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { ADVISORY_LOCK_NAMESPACE } from './migrate.js'
import { postgresCall, requirePool, validateSchema, type PostgresPool } from './postgres-client.js'

/** Options of {@link prune}. */
export interface PruneOptions {
  /** @default 'acme_auth' */
  schema?: string
  /** Rows deleted per statement, so no statement holds many locks or runs long. @default 1000 */
  batchSize?: number
  /** What "expired" is measured against: the clock your managers use. @default systemClock */
  clock?: Clock
}

/** What {@link prune} deleted, per table. */
export interface PruneResult {
  /** `false` when another instance was pruning (this call deleted nothing). */
  ran: boolean
  deleted: {
    sessions: number
    refreshTokens: number
    refreshFamilies: number
    oneTimeTokens: number
    pendingMfa: number
    trustedDevices: number
    rateLimits: number
    locks: number
  }
}

type Table = keyof PruneResult['deleted']

// Each statement deletes at most $2 rows found through the table's expiry index. A refresh
// family past its idle or absolute expiry can never rotate again: its tokens go first, then it.
const statements = (schema: string): [Table, string][] => [
  ['sessions', `DELETE FROM "${schema}".sessions WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".sessions WHERE expires_at <= $1 LIMIT $2))`],
  ['refreshTokens', `DELETE FROM "${schema}".refresh_tokens WHERE ctid = ANY(ARRAY(
    SELECT t.ctid FROM "${schema}".refresh_families f JOIN "${schema}".refresh_tokens t ON t.family_id = f.id
    WHERE f.expires_at <= $1 LIMIT $2))`],
  ['refreshFamilies', `DELETE FROM "${schema}".refresh_families WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".refresh_families WHERE expires_at <= $1 LIMIT $2))`],
  ['oneTimeTokens', `DELETE FROM "${schema}".one_time_tokens WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".one_time_tokens WHERE expires_at <= $1 LIMIT $2))`],
  ['pendingMfa', `DELETE FROM "${schema}".pending_mfa WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".pending_mfa WHERE expires_at <= $1 LIMIT $2))`],
  ['trustedDevices', `DELETE FROM "${schema}".trusted_devices WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".trusted_devices WHERE expires_at <= $1 LIMIT $2))`],
  ['rateLimits', `DELETE FROM "${schema}".rate_limits WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".rate_limits WHERE expires_at <= $1 LIMIT $2))`],
  // Locks expire in real time (the database's clock), like Redis's PX. $1 (the caller's now, never
  // NULL) is only named so every statement takes the same parameters.
  ['locks', `DELETE FROM "${schema}".store_locks WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM "${schema}".store_locks WHERE expires_at <= clock_timestamp() OR $1::bigint IS NULL LIMIT $2))`],
]

/**
 * Deletes expired rows (sessions, refresh families and their tokens, one-time tokens, pending
 * second-factor sign-ins, trusted devices, rate-limit counters, locks) in batches. Stores never delete on read, they only filter; run this every few
 * minutes from every instance: a session-level `pg_try_advisory_lock` lets one instance prune
 * while the others return at once with `ran: false`.
 *
 * @example
 * ```ts
 * import { prune } from '@acme/auth-core/postgres'
 *
 * setInterval(() => void prune(pool, { batchSize: 1000 }).catch(() => {}), 5 * 60_000).unref()
 * ```
 */
export async function prune(pool: PostgresPool, options: PruneOptions = {}): Promise<PruneResult> {
  const input = requireObject(options, 'options')
  const db = requirePool(pool)
  const schema = validateSchema(input.schema)
  const batchSize = optionalNumber(input.batchSize, 'options.batchSize', 1000, { min: 1, max: 100_000, integer: true })
  const now = (options.clock ?? systemClock).now()
  const deleted: PruneResult['deleted'] = { sessions: 0, refreshTokens: 0, refreshFamilies: 0, oneTimeTokens: 0, pendingMfa: 0, trustedDevices: 0, rateLimits: 0, locks: 0 }
  return postgresCall('prune', async () => {
    const client = await db.connect()
    let broken: Error | undefined
    const lockKey = [`prune:${schema}`]
    try {
      const locked = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${ADVISORY_LOCK_NAMESPACE}, hashtext($1)) AS locked`,
        lockKey,
      )
      if (locked.rows[0]?.locked !== true) return { ran: false, deleted }
      try {
        for (const [table, sql] of statements(schema)) {
          let count: number
          do {
            count = (await client.query(sql, [now, batchSize])).rowCount ?? 0
            deleted[table] += count
          } while (count === batchSize)
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_NAMESPACE}, hashtext($1))`, lockKey)
      }
      return { ran: true, deleted }
    } catch (error) {
      // A session-level lock dies with its connection: destroy it rather than pool it.
      broken = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      client.release(broken)
    }
  })
}
