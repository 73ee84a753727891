import { createHash } from 'node:crypto'
import type {
  PasskeyRecord,
  PasskeyUse,
  PendingMfaRecord,
  SecondFactorStore,
  TotpFactorRecord,
  TrustedDeviceRecord,
} from '../factors/second-factor-store.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { redisCall, requireRedisClient, validatePrefix, type RedisClient } from './redis-client.js'
import {
  deviceDeleteAllScript,
  deviceDeleteScript,
  deviceSaveScript,
  deviceTouchScript,
  passkeyDeleteScript,
  passkeyRenameScript,
  passkeyUseScript,
  pendingAttemptScript,
  pendingConsumeScript,
  recoveryReplaceScript,
  totpActivateScript,
  totpClaimScript,
  totpSavePendingScript,
} from './redis-second-factor-scripts.js'

/** Options of {@link RedisSecondFactorStore}. */
export interface RedisSecondFactorStoreOptions {
  /** An ioredis `Redis` or `Cluster`. */
  client: RedisClient
  /** Prefix of every key. No braces. @default 'acme:auth:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
}

interface Commands {
  acmeTotpSavePending(key: string, sealed: string, createdAt: number): Promise<number>
  acmeTotpActivate(key: string, sealed: string, step: number, now: number): Promise<number>
  acmeTotpClaim(key: string, step: number): Promise<number>
  acmeRecoveryReplace(key: string, ...hashes: string[]): Promise<number>
  acmePasskeyUse(key: string, id: string, expected: number, counter: number, backedUp: string, lastUsedAt: number): Promise<number>
  acmePasskeyRename(key: string, id: string, name: string): Promise<number>
  acmePasskeyDelete(key: string, id: string): Promise<number>
  acmePendingAttempt(key: string, now: number): Promise<number>
  acmePendingConsume(key: string, now: number): Promise<string[]>
  acmeDeviceSave(key: string, id: string, fixed: string, expiresAt: number, now: number, slackMs: number): Promise<number>
  acmeDeviceTouch(key: string, id: string, now: number): Promise<number>
  acmeDeviceDelete(key: string, id: string): Promise<number>
  acmeDeviceDeleteAll(key: string): Promise<number>
}

const scripts: [keyof Commands, string][] = [
  ['acmeTotpSavePending', totpSavePendingScript],
  ['acmeTotpActivate', totpActivateScript],
  ['acmeTotpClaim', totpClaimScript],
  ['acmeRecoveryReplace', recoveryReplaceScript],
  ['acmePasskeyUse', passkeyUseScript],
  ['acmePasskeyRename', passkeyRenameScript],
  ['acmePasskeyDelete', passkeyDeleteScript],
  ['acmePendingAttempt', pendingAttemptScript],
  ['acmePendingConsume', pendingConsumeScript],
  ['acmeDeviceSave', deviceSaveScript],
  ['acmeDeviceTouch', deviceTouchScript],
  ['acmeDeviceDelete', deviceDeleteScript],
  ['acmeDeviceDeleteAll', deviceDeleteAllScript],
]

// Redis's TTL only garbage-collects a pending sign-in (it lags the caller's clock by `slack`);
// `e` decides expiry against the `now` passed in, so a test clock drives Redis as it drives memory.
const gcSlackMs = 60_000
const tagLength = 8

const toPairs = (flat: string[]): Record<string, string> => {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!
  return out
}
const numberOrNull = (value: string | undefined): number | null => (value === undefined || value === '' ? null : Number(value))

/**
 * Second factors in Redis or Redis Cluster. A user's TOTP factor (a hash), recovery codes (a set)
 * passkeys and trusted devices (a hash each) share the `{mf:<userTag>}` hash tag; each check-and-write is one Lua
 * script on one key. A pending sign-in is a hash under its own `{id}` tag. A passkey's credential
 * id also maps to its user (under the credential's tag), for sign-ins that know no user yet: it
 * is claimed first (`SET NX`), so an id is registered once across users.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { RedisSecondFactorStore } from '@acme/auth-core/redis'
 *
 * const store = new RedisSecondFactorStore({ client: new Redis(process.env.REDIS_URL!) })
 * ```
 */
export class RedisSecondFactorStore implements SecondFactorStore {
  readonly #client: RedisClient
  readonly #commands: Commands
  readonly #prefix: string
  readonly #timeoutMs: number

  constructor(options: RedisSecondFactorStoreOptions) {
    const input = requireObject(options, 'options')
    this.#client = requireRedisClient(input.client)
    this.#prefix = validatePrefix(input.prefix)
    this.#timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
    for (const [name, lua] of scripts) this.#client.defineCommand(name, { lua, numberOfKeys: 1 })
    this.#commands = this.#client as unknown as Commands
  }

  async getTotp(userId: string): Promise<TotpFactorRecord | null> {
    const t = await this.#call('totp get', () => this.#client.hgetall(this.#key(userId, 'totp')))
    if (!t.s || (t.st !== 'pending' && t.st !== 'active')) return null
    return { userId, sealedSecret: t.s, status: t.st, createdAt: Number(t.c), confirmedAt: numberOrNull(t.f), lastUsedStep: numberOrNull(t.l) }
  }

  async savePendingTotp(record: TotpFactorRecord): Promise<boolean> {
    const key = this.#key(record.userId, 'totp')
    return (await this.#call('totp save', () => this.#commands.acmeTotpSavePending(key, record.sealedSecret, record.createdAt))) === 1
  }

  async activateTotp(userId: string, sealedSecret: string, step: number, now: number): Promise<boolean> {
    return (await this.#call('totp activate', () => this.#commands.acmeTotpActivate(this.#key(userId, 'totp'), sealedSecret, step, now))) === 1
  }

  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    return (await this.#call('totp claim', () => this.#commands.acmeTotpClaim(this.#key(userId, 'totp'), step))) === 1
  }

  async deleteTotp(userId: string): Promise<boolean> {
    return (await this.#call('totp delete', () => this.#client.del(this.#key(userId, 'totp')))) === 1
  }

  async replaceRecoveryCodes(userId: string, codeHashes: readonly string[], _now: number): Promise<void> {
    await this.#call('recovery replace', () => this.#commands.acmeRecoveryReplace(this.#key(userId, 'rc'), ...codeHashes))
  }

  async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    return (await this.#call('recovery consume', () => this.#client.srem(this.#key(userId, 'rc'), codeHash))) === 1
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    return this.#call('recovery count', () => this.#client.scard(this.#key(userId, 'rc')))
  }

  async savePasskey(record: PasskeyRecord): Promise<boolean> {
    const claimed = await this.#call('passkey claim', () => this.#client.set(this.#credentialKey(record.id), record.userId, 'NX'))
    if (claimed !== 'OK') return false
    const { id } = record
    const fixed = JSON.stringify({ publicKey: record.publicKey, transports: record.transports, deviceType: record.deviceType, createdAt: record.createdAt })
    try {
      await this.#call('passkey save', () =>
        this.#client.hset(this.#key(record.userId, 'pk'), {
          [id]: fixed,
          [`${id}:c`]: String(record.counter),
          [`${id}:b`]: record.backedUp ? '1' : '0',
          [`${id}:u`]: record.lastUsedAt === null ? '' : String(record.lastUsedAt),
          [`${id}:n`]: record.name,
        }),
      )
    } catch (error) {
      // Give the id back (best effort), so the user can register the credential again.
      await this.#client.del(this.#credentialKey(id)).catch(() => 0)
      throw error
    }
    return true
  }

  async getPasskey(credentialId: string): Promise<PasskeyRecord | null> {
    const userId = await this.#call('passkey find', () => this.#client.get(this.#credentialKey(credentialId)))
    if (userId === null) return null
    const id = credentialId
    const [fixed, counter, backedUp, lastUsedAt, name] = await this.#call('passkey get', () =>
      this.#client.hmget(this.#key(userId, 'pk'), id, `${id}:c`, `${id}:b`, `${id}:u`, `${id}:n`),
    )
    if (!fixed) return null
    return decodePasskey(id, userId, { [id]: fixed, [`${id}:c`]: counter ?? '0', [`${id}:b`]: backedUp ?? '0', [`${id}:u`]: lastUsedAt ?? '', [`${id}:n`]: name ?? '' })
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const fields = await this.#call('passkey list', () => this.#client.hgetall(this.#key(userId, 'pk')))
    return Object.keys(fields)
      .filter((field) => !field.includes(':'))
      .map((id) => decodePasskey(id, userId, fields))
      .sort((a, b) => a.createdAt - b.createdAt)
  }

  async updatePasskeyUse(userId: string, credentialId: string, expectedCounter: number, use: PasskeyUse): Promise<boolean> {
    const key = this.#key(userId, 'pk')
    const backedUp = use.backedUp ? '1' : '0'
    return (await this.#call('passkey use', () => this.#commands.acmePasskeyUse(key, credentialId, expectedCounter, use.counter, backedUp, use.lastUsedAt))) === 1
  }

  async renamePasskey(userId: string, credentialId: string, name: string): Promise<boolean> {
    return (await this.#call('passkey rename', () => this.#commands.acmePasskeyRename(this.#key(userId, 'pk'), credentialId, name))) === 1
  }

  async deletePasskey(userId: string, credentialId: string): Promise<boolean> {
    const deleted = (await this.#call('passkey delete', () => this.#commands.acmePasskeyDelete(this.#key(userId, 'pk'), credentialId))) === 1
    // Another slot: released after the credential is gone, so a failure here leaves an id that
    // cannot be registered again, never a credential that cannot be found.
    if (deleted) await this.#call('passkey release', () => this.#client.del(this.#credentialKey(credentialId)))
    return deleted
  }

  async savePending(record: PendingMfaRecord, now: number): Promise<void> {
    const key = this.#pendingKey(record.id)
    const fields = {
      u: record.userId,
      c: JSON.stringify(record.completed),
      m: JSON.stringify(record.methods),
      l: record.authLevel,
      a: String(record.attempts),
      t: String(record.createdAt),
      e: String(record.expiresAt),
    }
    await this.#call('pending save', () =>
      this.#client.multi().hset(key, fields).pexpire(key, Math.max(1, record.expiresAt - now) + gcSlackMs).exec(),
    )
  }

  async getPending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const fields = await this.#call('pending get', () => this.#client.hgetall(this.#pendingKey(id)))
    const record = decodePending(id, fields)
    return record && now < record.expiresAt ? record : null
  }

  async addPendingAttempt(id: string, now: number): Promise<number | null> {
    const count = await this.#call('pending attempt', () => this.#commands.acmePendingAttempt(this.#pendingKey(id), now))
    return count < 0 ? null : count
  }

  async consumePending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const flat = await this.#call('pending consume', () => this.#commands.acmePendingConsume(this.#pendingKey(id), now))
    return decodePending(id, toPairs(flat))
  }

  async saveTrustedDevice(record: TrustedDeviceRecord, now: number): Promise<void> {
    const fixed = JSON.stringify({ secretHash: record.secretHash, label: record.label, createdAt: record.createdAt, expiresAt: record.expiresAt })
    const key = this.#key(record.userId, 'td')
    await this.#call('device save', () => this.#commands.acmeDeviceSave(key, record.id, fixed, record.expiresAt, now, gcSlackMs))
  }

  async getTrustedDevice(userId: string, id: string, now: number): Promise<TrustedDeviceRecord | null> {
    const [fixed, lastUsedAt] = await this.#call('device get', () => this.#client.hmget(this.#key(userId, 'td'), id, `${id}:u`))
    if (!fixed) return null
    const device = decodeDevice(id, userId, fixed, lastUsedAt ?? '')
    return now < device.expiresAt ? device : null
  }

  async touchTrustedDevice(userId: string, id: string, now: number): Promise<boolean> {
    return (await this.#call('device touch', () => this.#commands.acmeDeviceTouch(this.#key(userId, 'td'), id, now))) === 1
  }

  async listTrustedDevices(userId: string, now: number): Promise<TrustedDeviceRecord[]> {
    const fields = await this.#call('device list', () => this.#client.hgetall(this.#key(userId, 'td')))
    return Object.keys(fields)
      .filter((field) => !field.includes(':'))
      .map((id) => decodeDevice(id, userId, fields[id]!, fields[`${id}:u`] ?? ''))
      .filter((device) => now < device.expiresAt)
      .sort((a, b) => a.createdAt - b.createdAt)
  }

  async deleteTrustedDevice(userId: string, id: string): Promise<boolean> {
    return (await this.#call('device delete', () => this.#commands.acmeDeviceDelete(this.#key(userId, 'td'), id))) === 1
  }

  deleteTrustedDevices(userId: string): Promise<number> {
    return this.#call('device delete all', () => this.#commands.acmeDeviceDeleteAll(this.#key(userId, 'td')))
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return redisCall(`second-factor ${operation}`, run, this.#timeoutMs)
  }

  #key(userId: string, kind: 'totp' | 'rc' | 'pk' | 'td'): string {
    const tag = createHash('sha256').update(userId).digest('base64url').slice(0, tagLength)
    return `${this.#prefix}{mf:${tag}}:${kind}:${userId}`
  }

  #credentialKey(credentialId: string): string {
    const tag = createHash('sha256').update(credentialId).digest('base64url').slice(0, tagLength)
    return `${this.#prefix}{pk:${tag}}:owner:${credentialId}`
  }

  #pendingKey(id: string): string {
    return `${this.#prefix}mfa:{${id}}`
  }
}

function decodePasskey(id: string, userId: string, fields: Record<string, string>): PasskeyRecord {
  const fixed = JSON.parse(fields[id]!) as Pick<PasskeyRecord, 'publicKey' | 'transports' | 'deviceType' | 'createdAt'>
  return {
    id,
    userId,
    publicKey: fixed.publicKey,
    counter: Number(fields[`${id}:c`] ?? 0),
    transports: fixed.transports,
    deviceType: fixed.deviceType,
    backedUp: fields[`${id}:b`] === '1',
    name: fields[`${id}:n`] ?? '',
    createdAt: fixed.createdAt,
    lastUsedAt: numberOrNull(fields[`${id}:u`]),
  }
}

function decodeDevice(id: string, userId: string, fixed: string, lastUsedAt: string): TrustedDeviceRecord {
  const parts = JSON.parse(fixed) as Pick<TrustedDeviceRecord, 'secretHash' | 'label' | 'createdAt' | 'expiresAt'>
  return { id, userId, secretHash: parts.secretHash, label: parts.label, createdAt: parts.createdAt, expiresAt: parts.expiresAt, lastUsedAt: numberOrNull(lastUsedAt) }
}

function decodePending(id: string, fields: Record<string, string>): PendingMfaRecord | null {
  if (fields.u === undefined || fields.e === undefined) return null
  return {
    id,
    userId: fields.u,
    completed: JSON.parse(fields.c ?? '[]') as PendingMfaRecord['completed'],
    methods: JSON.parse(fields.m ?? '[]') as string[],
    authLevel: fields.l ?? '',
    attempts: Number(fields.a ?? 0),
    createdAt: Number(fields.t),
    expiresAt: Number(fields.e),
  }
}
