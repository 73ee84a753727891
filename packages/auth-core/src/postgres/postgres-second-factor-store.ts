import type {
  CompletedFactor,
  PasskeyRecord,
  PasskeyUse,
  PendingMfaRecord,
  SecondFactorStore,
  TotpFactorRecord,
  TrustedDeviceRecord,
} from '../factors/second-factor-store.js'
import { requireObject } from '../lib/options.js'
import { firstRow, inTransaction, postgresCall, toMillis, toMillisOrNull, validateSchema, type PostgresPool } from './postgres-client.js'
import { storeDb, type StoreDb } from './postgres-timeout.js'

/** Options of {@link PostgresSecondFactorStore}. */
export interface PostgresSecondFactorStoreOptions {
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

interface TotpRow {
  sealed_secret: string
  status: 'pending' | 'active'
  created_at: string
  confirmed_at: string | null
  last_used_step: string | null
}

interface PasskeyRow {
  id: string
  user_id: string
  public_key: string
  counter: string
  transports: string[]
  device_type: 'singleDevice' | 'multiDevice'
  backed_up: boolean
  name: string
  created_at: string
  last_used_at: string | null
}

interface PendingRow {
  user_id: string
  completed: CompletedFactor[]
  methods: string[]
  auth_level: string
  attempts: number
  created_at: string
  expires_at: string
}

interface DeviceRow {
  id: string
  secret_hash: string
  label: string
  created_at: string
  expires_at: string
  last_used_at: string | null
}

const deviceColumns = 'id, secret_hash, label, created_at, expires_at, last_used_at'
const passkeyColumns = 'id, user_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at'
const pendingColumns = 'user_id, completed, methods, auth_level, attempts, created_at, expires_at'

/**
 * Second factors in PostgreSQL (`totp_factors`, `recovery_codes`, `passkeys`, `pending_mfa`,
 * `trusted_devices`).
 * Every check-and-write is one statement whose `WHERE` holds the condition (PostgreSQL re-checks
 * it after waiting for a concurrent writer's row lock), so of concurrent callers exactly one
 * wins: a TOTP step is claimed once, a recovery code or pending sign-in is deleted once, a
 * passkey counter moves once. Expired pending sign-ins and trusted devices go with `prune()`.
 *
 * @example
 * ```ts
 * import { PostgresSecondFactorStore } from '@acme/auth-core/postgres'
 *
 * const store = new PostgresSecondFactorStore({ pool })
 * ```
 */
export class PostgresSecondFactorStore implements SecondFactorStore {
  readonly #pool: StoreDb
  readonly #t: { totp: string; codes: string; passkeys: string; pending: string; devices: string }

  constructor(options: PostgresSecondFactorStoreOptions) {
    const input = requireObject(options, 'options')
    this.#pool = storeDb(input)
    const schema = `"${validateSchema(input.schema)}"`
    this.#t = { totp: `${schema}.totp_factors`, codes: `${schema}.recovery_codes`, passkeys: `${schema}.passkeys`, pending: `${schema}.pending_mfa`, devices: `${schema}.trusted_devices` }
  }

  async getTotp(userId: string): Promise<TotpFactorRecord | null> {
    const row = await this.#first<TotpRow>('totp get', `SELECT sealed_secret, status, created_at, confirmed_at, last_used_step FROM ${this.#t.totp} WHERE user_id = $1`, [userId])
    if (!row) return null
    return {
      userId,
      sealedSecret: row.sealed_secret,
      status: row.status,
      createdAt: toMillis(row.created_at),
      confirmedAt: toMillisOrNull(row.confirmed_at),
      lastUsedStep: toMillisOrNull(row.last_used_step),
    }
  }

  async savePendingTotp(record: TotpFactorRecord): Promise<boolean> {
    return this.#applied(
      'totp save',
      `INSERT INTO ${this.#t.totp} AS t (user_id, sealed_secret, status, created_at) VALUES ($1, $2, 'pending', $3)
       ON CONFLICT (user_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, status = 'pending', created_at = EXCLUDED.created_at,
         confirmed_at = NULL, last_used_step = NULL
       WHERE t.status = 'pending'`,
      [record.userId, record.sealedSecret, record.createdAt],
    )
  }

  activateTotp(userId: string, sealedSecret: string, step: number, now: number): Promise<boolean> {
    return this.#applied(
      'totp activate',
      `UPDATE ${this.#t.totp} SET status = 'active', confirmed_at = $4, last_used_step = $3
       WHERE user_id = $1 AND status = 'pending' AND sealed_secret = $2`,
      [userId, sealedSecret, step, now],
    )
  }

  claimTotpStep(userId: string, step: number): Promise<boolean> {
    return this.#applied(
      'totp claim',
      `UPDATE ${this.#t.totp} SET last_used_step = $2
       WHERE user_id = $1 AND status = 'active' AND (last_used_step IS NULL OR last_used_step < $2)`,
      [userId, step],
    )
  }

  deleteTotp(userId: string): Promise<boolean> {
    return this.#applied('totp delete', `DELETE FROM ${this.#t.totp} WHERE user_id = $1`, [userId])
  }

  async replaceRecoveryCodes(userId: string, codeHashes: readonly string[], now: number): Promise<void> {
    await postgresCall('recovery replace', () =>
      inTransaction(this.#pool, async (client) => {
        await client.query(`DELETE FROM ${this.#t.codes} WHERE user_id = $1`, [userId])
        if (codeHashes.length > 0) {
          await client.query(`INSERT INTO ${this.#t.codes} (user_id, code_hash, created_at) SELECT $1, h, $3 FROM unnest($2::text[]) AS h`, [
            userId,
            [...codeHashes],
            now,
          ])
        }
      }),
    )
  }

  consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    return this.#applied('recovery consume', `DELETE FROM ${this.#t.codes} WHERE user_id = $1 AND code_hash = $2`, [userId, codeHash])
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    const row = await this.#first<{ count: string }>('recovery count', `SELECT count(*) AS count FROM ${this.#t.codes} WHERE user_id = $1`, [userId])
    return Number(row?.count ?? 0)
  }

  savePasskey(record: PasskeyRecord): Promise<boolean> {
    return this.#applied(
      'passkey save',
      `INSERT INTO ${this.#t.passkeys} (${passkeyColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [record.id, record.userId, record.publicKey, record.counter, record.transports, record.deviceType, record.backedUp, record.name, record.createdAt, record.lastUsedAt],
    )
  }

  async getPasskey(credentialId: string): Promise<PasskeyRecord | null> {
    const row = await this.#first<PasskeyRow>('passkey get', `SELECT ${passkeyColumns} FROM ${this.#t.passkeys} WHERE id = $1`, [credentialId])
    return row ? decodePasskey(row) : null
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const rows = await postgresCall('passkey list', () =>
      this.#pool.query<PasskeyRow>(`SELECT ${passkeyColumns} FROM ${this.#t.passkeys} WHERE user_id = $1 ORDER BY created_at, id`, [userId]),
    )
    return rows.rows.map(decodePasskey)
  }

  updatePasskeyUse(userId: string, credentialId: string, expectedCounter: number, use: PasskeyUse): Promise<boolean> {
    return this.#applied(
      'passkey use',
      `UPDATE ${this.#t.passkeys} SET counter = $4, backed_up = $5, last_used_at = $6 WHERE id = $2 AND user_id = $1 AND counter = $3`,
      [userId, credentialId, expectedCounter, use.counter, use.backedUp, use.lastUsedAt],
    )
  }

  renamePasskey(userId: string, credentialId: string, name: string): Promise<boolean> {
    return this.#applied('passkey rename', `UPDATE ${this.#t.passkeys} SET name = $3 WHERE id = $2 AND user_id = $1`, [userId, credentialId, name])
  }

  deletePasskey(userId: string, credentialId: string): Promise<boolean> {
    return this.#applied('passkey delete', `DELETE FROM ${this.#t.passkeys} WHERE id = $2 AND user_id = $1`, [userId, credentialId])
  }

  async savePending(record: PendingMfaRecord, _now: number): Promise<void> {
    await postgresCall('pending save', () =>
      this.#pool.query(`INSERT INTO ${this.#t.pending} (id, ${pendingColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        record.id,
        record.userId,
        JSON.stringify(record.completed),
        record.methods,
        record.authLevel,
        record.attempts,
        record.createdAt,
        record.expiresAt,
      ]),
    )
  }

  async getPending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const row = await this.#first<PendingRow>('pending get', `SELECT ${pendingColumns} FROM ${this.#t.pending} WHERE id = $1 AND expires_at > $2`, [id, now])
    return row ? decodePending(id, row) : null
  }

  async addPendingAttempt(id: string, now: number): Promise<number | null> {
    const row = await this.#first<{ attempts: number }>(
      'pending attempt',
      `UPDATE ${this.#t.pending} SET attempts = attempts + 1 WHERE id = $1 AND expires_at > $2 RETURNING attempts`,
      [id, now],
    )
    return row ? row.attempts : null
  }

  async consumePending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const row = await this.#first<PendingRow>('pending consume', `DELETE FROM ${this.#t.pending} WHERE id = $1 RETURNING ${pendingColumns}`, [id])
    if (!row || toMillis(row.expires_at) <= now) return null
    return decodePending(id, row)
  }

  async saveTrustedDevice(record: TrustedDeviceRecord, _now: number): Promise<void> {
    await postgresCall('device save', () =>
      this.#pool.query(`INSERT INTO ${this.#t.devices} (user_id, ${deviceColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        record.userId,
        record.id,
        record.secretHash,
        record.label,
        record.createdAt,
        record.expiresAt,
        record.lastUsedAt,
      ]),
    )
  }

  async getTrustedDevice(userId: string, id: string, now: number): Promise<TrustedDeviceRecord | null> {
    const row = await this.#first<DeviceRow>('device get', `SELECT ${deviceColumns} FROM ${this.#t.devices} WHERE id = $2 AND user_id = $1 AND expires_at > $3`, [userId, id, now])
    return row ? decodeDevice(userId, row) : null
  }

  touchTrustedDevice(userId: string, id: string, now: number): Promise<boolean> {
    return this.#applied('device touch', `UPDATE ${this.#t.devices} SET last_used_at = $3 WHERE id = $2 AND user_id = $1 AND expires_at > $3`, [userId, id, now])
  }

  async listTrustedDevices(userId: string, now: number): Promise<TrustedDeviceRecord[]> {
    const rows = await postgresCall('device list', () =>
      this.#pool.query<DeviceRow>(`SELECT ${deviceColumns} FROM ${this.#t.devices} WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, id`, [userId, now]),
    )
    return rows.rows.map((row) => decodeDevice(userId, row))
  }

  deleteTrustedDevice(userId: string, id: string): Promise<boolean> {
    return this.#applied('device delete', `DELETE FROM ${this.#t.devices} WHERE id = $2 AND user_id = $1`, [userId, id])
  }

  async deleteTrustedDevices(userId: string): Promise<number> {
    const result = await postgresCall('device delete all', () => this.#pool.query(`DELETE FROM ${this.#t.devices} WHERE user_id = $1`, [userId]))
    return result.rowCount ?? 0
  }

  #first<Row extends object>(operation: string, text: string, values: unknown[]): Promise<Row | undefined> {
    return postgresCall(operation, () => firstRow<Row & Record<string, unknown>>(this.#pool, text, values))
  }

  async #applied(operation: string, text: string, values: unknown[]): Promise<boolean> {
    const result = await postgresCall(operation, () => this.#pool.query(text, values))
    return (result.rowCount ?? 0) > 0
  }
}

function decodePasskey(row: PasskeyRow): PasskeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    name: row.name,
    createdAt: toMillis(row.created_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
  }
}

function decodeDevice(userId: string, row: DeviceRow): TrustedDeviceRecord {
  return {
    id: row.id,
    userId,
    secretHash: row.secret_hash,
    label: row.label,
    createdAt: toMillis(row.created_at),
    expiresAt: toMillis(row.expires_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
  }
}

function decodePending(id: string, row: PendingRow): PendingMfaRecord {
  return {
    id,
    userId: row.user_id,
    completed: row.completed,
    methods: row.methods,
    authLevel: row.auth_level,
    attempts: row.attempts,
    createdAt: toMillis(row.created_at),
    expiresAt: toMillis(row.expires_at),
  }
}
