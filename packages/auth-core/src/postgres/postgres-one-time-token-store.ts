import type { OneTimeTokenRecord, OneTimeTokenStore } from '../one-time-tokens/one-time-token-store.js'
import { requireObject } from '../lib/options.js'
import { firstRow, postgresCall, toMillis, validateSchema, type PostgresPool } from './postgres-client.js'
import { storeDb, type StoreDb } from './postgres-timeout.js'

/** Options of {@link PostgresOneTimeTokenStore}. */
export interface PostgresOneTimeTokenStoreOptions {
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
  user_id: string
  purpose: string
  expires_at: string
}

/**
 * One-time tokens in PostgreSQL (`one_time_tokens`): only the SHA-256 of each secret is stored.
 * `consumeOne` is one `DELETE … WHERE id, hash and purpose match … RETURNING`: of any number of
 * concurrent callers exactly one gets the row, and a wrong guess deletes nothing. An expired
 * match is deleted and answered `null`; expired rows nobody consumes go with `prune()`.
 *
 * @example
 * ```ts
 * import { createOneTimeTokens } from '@acme/auth-core'
 * import { PostgresOneTimeTokenStore } from '@acme/auth-core/postgres'
 *
 * const tokens = createOneTimeTokens({ store: new PostgresOneTimeTokenStore({ pool }) })
 * ```
 */
export class PostgresOneTimeTokenStore implements OneTimeTokenStore {
  readonly #pool: StoreDb
  readonly #insert: string
  readonly #consume: string
  readonly #deleteForUser: string

  constructor(options: PostgresOneTimeTokenStoreOptions) {
    const input = requireObject(options, 'options')
    this.#pool = storeDb(input)
    const table = `"${validateSchema(input.schema)}".one_time_tokens`
    this.#insert = `INSERT INTO ${table} (id, user_id, purpose, secret_hash, expires_at) VALUES ($1, $2, $3, $4, $5)` +
      // A record saved again under its id replaces it (6-digit codes keep one id per address).
      ' ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, purpose = EXCLUDED.purpose, secret_hash = EXCLUDED.secret_hash, expires_at = EXCLUDED.expires_at'
    // Compares SHA-256 digests, which an attacker cannot steer byte by byte (not constant-time).
    this.#consume = `DELETE FROM ${table} WHERE id = $1 AND secret_hash = $2 AND purpose = $3 RETURNING user_id, purpose, expires_at`
    this.#deleteForUser = `DELETE FROM ${table} WHERE user_id = $1`
  }

  async save(record: OneTimeTokenRecord, _now: number): Promise<void> {
    await postgresCall('one-time token save', () =>
      this.#pool.query(this.#insert, [record.id, record.userId, record.purpose, record.secretHash, record.expiresAt]),
    )
  }

  async consumeOne(id: string, match: { secretHash: string; purpose: string }, now: number): Promise<OneTimeTokenRecord | null> {
    const row = await postgresCall('one-time token consume', () =>
      firstRow<Row>(this.#pool, this.#consume, [id, match.secretHash, match.purpose]),
    )
    if (!row || toMillis(row.expires_at) <= now) return null
    return { id, userId: row.user_id, purpose: row.purpose, secretHash: match.secretHash, expiresAt: toMillis(row.expires_at) }
  }

  async deleteAllForUser(userId: string): Promise<number> {
    const result = await postgresCall('one-time token delete', () => this.#pool.query(this.#deleteForUser, [userId]))
    return result.rowCount ?? 0
  }
}
