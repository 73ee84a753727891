import { AuthError } from '../errors.js'
import type { KeyStore } from '../keys/key-store.js'
import { isSigningAlgorithm, type KeyRingState, type PublicJwk, type StoredSigningKey } from '../keys/signing-key.js'
import { requireObject } from '../lib/options.js'
import { PostgresLocks } from './postgres-locks.js'
import { inTransaction, postgresCall, toMillis, toMillisOrNull, validateSchema, type PostgresPool } from './postgres-client.js'
import { storeDb, type StoreDb } from './postgres-timeout.js'

/** Options of {@link PostgresKeyStore}. */
export interface PostgresKeyStoreOptions {
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

interface KeyRow {
  version: string
  kid: string | null
  alg: string
  created_at: string
  activates_at: string
  retires_at: string | null
  removes_at: string | null
  public_jwk: PublicJwk
  sealed_private_key: string
}

/**
 * The key ring in PostgreSQL, shared by every instance: the ring's version in `key_ring` (one
 * row) and its keys in `signing_keys`, private keys sealed. `compareAndSet` is one transaction
 * that first bumps the version with `UPDATE … WHERE version = expected` (the row lock makes one
 * writer win), then replaces the keys; `load` is one statement, so it never sees half a write.
 * Rotation locks live in `store_locks`.
 *
 * @example
 * ```ts
 * import { createKeyRing } from '@acme/auth-core'
 * import { PostgresKeyStore } from '@acme/auth-core/postgres'
 *
 * const keyRing = createKeyRing({ store: new PostgresKeyStore({ pool }), secret: process.env.KEY_SECRET! })
 * ```
 */
export class PostgresKeyStore implements KeyStore {
  readonly #pool: StoreDb
  readonly #locks: PostgresLocks
  readonly #sql: { load: string; bump: string; first: string; clear: string; insert: string }

  constructor(options: PostgresKeyStoreOptions) {
    const input = requireObject(options, 'options')
    this.#pool = storeDb(input)
    const schema = validateSchema(input.schema)
    this.#locks = new PostgresLocks(this.#pool, schema, 'keys')
    const ring = `"${schema}".key_ring`
    const keys = `"${schema}".signing_keys`
    this.#sql = {
      load: `SELECT r.version, k.* FROM ${ring} r LEFT JOIN ${keys} k ON true ORDER BY k.position`,
      bump: `UPDATE ${ring} SET version = version + 1 WHERE id = 1 AND version = $1 RETURNING version`,
      first: `INSERT INTO ${ring} (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING RETURNING version`,
      clear: `DELETE FROM ${keys}`,
      insert: `INSERT INTO ${keys} (kid, position, alg, created_at, activates_at, retires_at, removes_at, public_jwk, sealed_private_key)
        SELECT k->>'kid', position, k->>'alg', (k->>'createdAt')::bigint, (k->>'activatesAt')::bigint,
          (k->>'retiresAt')::bigint, (k->>'removesAt')::bigint, k->'publicJwk', k->>'sealedPrivateKey'
        FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(k, position)`,
    }
  }

  async load(): Promise<KeyRingState> {
    const { rows } = await postgresCall('key ring load', () => this.#pool.query<KeyRow>(this.#sql.load))
    if (rows.length === 0) return { version: 0, keys: [] }
    return { version: toMillis(rows[0]!.version), keys: rows.flatMap((row) => (row.kid === null ? [] : [toKey(row)])) }
  }

  async compareAndSet(keys: readonly StoredSigningKey[], expectedVersion: number): Promise<boolean> {
    return postgresCall('key ring write', () =>
      inTransaction(this.#pool, async (client) => {
        let won = (await client.query(this.#sql.bump, [expectedVersion])).rowCount === 1
        if (!won && expectedVersion === 0) won = (await client.query(this.#sql.first)).rowCount === 1
        if (!won) return false
        await client.query(this.#sql.clear)
        await client.query(this.#sql.insert, [JSON.stringify(keys)])
        return true
      }),
    )
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return this.#locks.acquire(name, ttlMs)
  }

  releaseLock(name: string, token: string): Promise<void> {
    return this.#locks.release(name, token)
  }
}

function toKey(row: KeyRow): StoredSigningKey {
  if (!isSigningAlgorithm(row.alg) || row.kid === null) throw new AuthError('ERR_STORE_UNAVAILABLE', 'the stored key ring is malformed')
  return {
    kid: row.kid,
    alg: row.alg,
    createdAt: toMillis(row.created_at),
    activatesAt: toMillis(row.activates_at),
    retiresAt: toMillisOrNull(row.retires_at),
    removesAt: toMillisOrNull(row.removes_at),
    publicJwk: row.public_jwk,
    sealedPrivateKey: row.sealed_private_key,
  }
}
