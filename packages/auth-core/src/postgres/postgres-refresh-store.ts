import { requireObject } from '../lib/options.js'
import type { RefreshFamilyRecord, RefreshGrant, RefreshStore, RefreshTokenRecord, RotateOutcome, RotateRequest } from '../refresh/refresh-store.js'
import { decideRotation } from '../refresh/rotation-decision.js'
import { PostgresLocks } from './postgres-locks.js'
import {
  firstRow,
  inTransaction,
  postgresCall,
  toMillis,
  toMillisOrNull,
  validateSchema,
  type PostgresPool,
} from './postgres-client.js'
import { storeDb, type StoreDb } from './postgres-timeout.js'
import { refreshStatements, type RefreshStatements } from './postgres-refresh-statements.js'

/** Options of {@link PostgresRefreshStore}. */
export interface PostgresRefreshStoreOptions {
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

/** A `refresh_families` row. */
export interface FamilyRow {
  id: string
  user_id: string
  session_id: string
  grant_claims: RefreshGrant
  status: string
  created_at: string
  last_used_at: string
  idle_expires_at: string
  absolute_expires_at: string
  current_token_id: string
  revoked_at: string | null
  revoked_reason: string | null
}

/** A `refresh_tokens` row. */
export interface TokenRow {
  id: string
  family_id: string
  secret_hash: string
  status: string
  created_at: string
  rotated_at: string | null
  successor_id: string | null
  sealed_successor: string | null
}

/**
 * Refresh-token families in PostgreSQL (`refresh_families`, `refresh_tokens`; only hashes of
 * secrets). `rotate` is one transaction that locks the family row (`SELECT … FOR UPDATE`), reads
 * the presented token, decides with the same pure rules as the memory store, and writes: every
 * rotation of a family queues on that lock, so a token gets one successor whatever races.
 * Revocations are single `UPDATE … WHERE status = 'active' … RETURNING` statements. Expired
 * families stay until `prune()` deletes them.
 *
 * @example
 * ```ts
 * import { createRefreshFamilies } from '@acme/auth-core'
 * import { PostgresRefreshStore } from '@acme/auth-core/postgres'
 *
 * const families = createRefreshFamilies({ store: new PostgresRefreshStore({ pool }), accessTokens })
 * ```
 */
export class PostgresRefreshStore implements RefreshStore {
  readonly #pool: StoreDb
  readonly #sql: RefreshStatements
  readonly #locks: PostgresLocks

  constructor(options: PostgresRefreshStoreOptions) {
    const input = requireObject(options, 'options')
    this.#pool = storeDb(input)
    const schema = validateSchema(input.schema)
    this.#sql = refreshStatements(schema)
    this.#locks = new PostgresLocks(this.#pool, schema, 'refresh')
  }

  async create(family: RefreshFamilyRecord, first: RefreshTokenRecord): Promise<void> {
    await postgresCall('refresh create', () => this.#pool.query(this.#sql.create, [...familyValues(family), ...tokenValues(first)]))
  }

  async find(tokenId: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | null> {
    const row = await postgresCall('refresh find', () =>
      firstRow<{ token: TokenRow; family: FamilyRow }>(this.#pool, this.#sql.find, [tokenId]),
    )
    return row ? { token: toToken(row.token), family: toFamily(row.family) } : null
  }

  async rotate(request: RotateRequest): Promise<RotateOutcome> {
    return postgresCall('refresh rotate', () =>
      inTransaction(this.#pool, async (client) => {
        // The family's row lock first: every other rotation or revocation of it waits here, and
        // the token read after it sees what the previous holder committed.
        const family = await firstRow<FamilyRow>(client, this.#sql.lockFamilyOfToken, [request.tokenId])
        const token = family && (await firstRow<TokenRow>(client, this.#sql.token, [request.tokenId]))
        const { outcome, writes } = decideRotation(token ? toToken(token) : undefined, family ? toFamily(family) : undefined, request)
        if (writes?.token) await client.query(this.#sql.updateToken, tokenValues(writes.token))
        if (writes?.successor) await client.query(this.#sql.insertToken, tokenValues(writes.successor))
        if (writes?.family) await client.query(this.#sql.updateFamily, familyValues(writes.family))
        return outcome
      }),
    )
  }

  async revokeFamily(familyId: string, now: number, reason: string): Promise<RefreshFamilyRecord | null> {
    const row = await postgresCall('refresh revoke', () => firstRow<FamilyRow>(this.#pool, this.#sql.revokeFamily, [familyId, now, reason]))
    return row ? toFamily(row) : null
  }

  async revokeAllForUser(userId: string, now: number, reason: string): Promise<RefreshFamilyRecord[]> {
    const { rows } = await postgresCall('refresh revokeAll', () => this.#pool.query<FamilyRow>(this.#sql.revokeAllForUser, [userId, now, reason]))
    return rows.map(toFamily)
  }

  async updateRolesForUser(userId: string, roles: readonly string[], now: number): Promise<number> {
    const { rowCount } = await postgresCall('refresh updateRoles', () =>
      this.#pool.query(this.#sql.updateRolesForUser, [userId, now, JSON.stringify([...roles])]),
    )
    return rowCount ?? 0
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return this.#locks.acquire(name, ttlMs)
  }

  releaseLock(name: string, token: string): Promise<void> {
    return this.#locks.release(name, token)
  }
}

/** $1…$12, in the column order of {@link refreshStatements}. */
function familyValues(family: RefreshFamilyRecord): unknown[] {
  return [
    family.id, family.userId, family.sessionId, JSON.stringify(family.grant), family.status, family.createdAt, family.lastUsedAt,
    family.idleExpiresAt, family.absoluteExpiresAt, family.currentTokenId, family.revokedAt, family.revokedReason,
  ]
}

/** $1…$8 (or $13…$20 after a family), in the column order of {@link refreshStatements}. */
function tokenValues(token: RefreshTokenRecord): unknown[] {
  return [token.id, token.familyId, token.secretHash, token.status, token.createdAt, token.rotatedAt, token.successorId, token.sealedSuccessor]
}

function toFamily(row: FamilyRow): RefreshFamilyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    sessionId: row.session_id,
    grant: row.grant_claims,
    status: row.status === 'revoked' ? 'revoked' : 'active',
    createdAt: toMillis(row.created_at),
    lastUsedAt: toMillis(row.last_used_at),
    idleExpiresAt: toMillis(row.idle_expires_at),
    absoluteExpiresAt: toMillis(row.absolute_expires_at),
    currentTokenId: row.current_token_id,
    revokedAt: toMillisOrNull(row.revoked_at),
    revokedReason: row.revoked_reason,
  }
}

function toToken(row: TokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    familyId: row.family_id,
    secretHash: row.secret_hash,
    status: row.status === 'rotated' ? 'rotated' : 'current',
    createdAt: toMillis(row.created_at),
    rotatedAt: toMillisOrNull(row.rotated_at),
    successorId: row.successor_id,
    sealedSuccessor: row.sealed_successor,
  }
}
