import { randomToken, timingSafeEqual } from '../lib/crypto.js'
import { firstRow, postgresCall } from './postgres-client.js'
import type { Queryable } from './postgres-timeout.js'

/**
 * The store-lock half of the key and refresh store contracts, on the `store_locks` table: one row
 * per held lock, taken by one `INSERT … ON CONFLICT DO UPDATE … WHERE expired` (so of concurrent
 * callers exactly one gets it) and released by compare-and-delete. The TTL runs on the
 * database's clock, as Redis's `PX` does.
 */
export class PostgresLocks {
  readonly #pool: Queryable
  readonly #scope: string
  readonly #acquire: string
  readonly #release: string

  constructor(pool: Queryable, schema: string, scope: string) {
    this.#pool = pool
    this.#scope = scope
    const table = `"${schema}".store_locks`
    this.#acquire = `INSERT INTO ${table} AS held (scope, name, token, expires_at)
      VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')
      ON CONFLICT (scope, name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
      WHERE held.expires_at <= clock_timestamp()
      RETURNING token`
    this.#release = `DELETE FROM ${table} WHERE scope = $1 AND name = $2 AND token = $3`
  }

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const token = randomToken(12)
    const row = await postgresCall('lock', () => firstRow<{ token: string }>(this.#pool, this.#acquire, [this.#scope, name, token, ttlMs]))
    return row && timingSafeEqual(row.token, token) ? token : null
  }

  async release(name: string, token: string): Promise<void> {
    await postgresCall('unlock', () => this.#pool.query(this.#release, [this.#scope, name, token]))
  }
}
