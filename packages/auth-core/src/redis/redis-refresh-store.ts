import { AuthError } from '../errors.js'
import { randomToken } from '../lib/crypto.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import type { RefreshFamilyRecord, RefreshStore, RefreshTokenRecord, RotateOutcome, RotateRequest } from '../refresh/refresh-store.js'
import { FAMILY_ID_LENGTH, USER_TAG_LENGTH, userTag } from '../refresh/refresh-token.js'
import { redisCall, requireRedisClient, validatePrefix, type RedisClient } from './redis-client.js'
import { replicaWaitOption, waitForReplicas, type ReplicaWaitOptions } from './redis-replica-wait.js'
import { releaseLockScript } from './redis-key-scripts.js'
import { decodeFamily, decodeToken, familyFields, toObject, tokenFields } from './redis-refresh-codec.js'
import { refreshCreateScript, refreshRevokeAllScript, refreshRevokeScript, refreshRotateScript, refreshUpdateRolesScript } from './redis-refresh-scripts.js'

/** Options of {@link RedisRefreshStore}. */
export interface RedisRefreshStoreOptions {
  /** An ioredis `Redis` or `Cluster`. Recommended: `enableOfflineQueue: false` so outages fail fast. */
  client: RedisClient
  /** Prefix of every key. No braces. @default 'acme:auth:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
  /**
   * After each revocation (of a family, of a user's families, or on reuse), wait until this many replicas have it (`WAIT`), so a master that fails
   * right after cannot take the revocation along. Costs a round trip of replication per
   * revocation (validation is not slowed); fewer acknowledgements in time fail the revocation with
   * ERR_STORE_UNAVAILABLE (the master has it; a retry is harmless). Off by default.
   */
  waitForReplicas?: ReplicaWaitOptions
}

type Reply = string | Reply[]

interface RefreshCommands {
  acmeRefreshCreate(...args: (string | number)[]): Promise<number>
  acmeRefreshRotate(...args: (string | number)[]): Promise<Reply[]>
  acmeRefreshRevoke(...args: (string | number)[]): Promise<string[]>
  acmeRefreshRevokeAll(...args: (string | number)[]): Promise<string[][]>
  acmeRefreshUpdateRoles(...args: (string | number)[]): Promise<number>
  acmeRefreshLockRelease(key: string, token: string): Promise<number>
}

/**
 * Refresh-token families in Redis or Redis Cluster. Rotation is one Lua compare-and-set: a crash
 * or a race never leaves two valid successors. A user's families, tokens, index and rotation
 * locks share one hash slot (the 8-character user tag that begins every family id). Keys expire
 * with their family's absolute lifetime.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRefreshFamilies } from '@acme/auth-core'
 * import { RedisRefreshStore } from '@acme/auth-core/redis'
 *
 * const store = new RedisRefreshStore({ client: new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false }) })
 * const families = createRefreshFamilies({ store, accessTokens })
 * ```
 */
export class RedisRefreshStore implements RefreshStore {
  readonly #client: RedisClient
  readonly #commands: RefreshCommands
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #replicaWait: Required<ReplicaWaitOptions> | undefined

  constructor(options: RedisRefreshStoreOptions) {
    const input = requireObject(options, 'options')
    this.#client = requireRedisClient(input.client)
    this.#prefix = validatePrefix(input.prefix)
    this.#timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
    this.#replicaWait = replicaWaitOption(input.waitForReplicas, this.#timeoutMs)
    const define = (name: keyof RefreshCommands, lua: string, numberOfKeys: number) =>
      this.#client.defineCommand(name, { lua, numberOfKeys })
    define('acmeRefreshCreate', refreshCreateScript, 3)
    define('acmeRefreshRotate', refreshRotateScript, 3)
    define('acmeRefreshRevoke', refreshRevokeScript, 1)
    define('acmeRefreshRevokeAll', refreshRevokeAllScript, 1)
    define('acmeRefreshUpdateRoles', refreshUpdateRolesScript, 1)
    define('acmeRefreshLockRelease', releaseLockScript, 1)
    this.#commands = this.#client as unknown as RefreshCommands
  }

  async create(family: RefreshFamilyRecord, first: RefreshTokenRecord): Promise<void> {
    const ttlMs = Math.max(1, family.absoluteExpiresAt - family.createdAt)
    const familyArgs = familyFields(family)
    await this.#call('create', () =>
      this.#commands.acmeRefreshCreate(
        this.#familyKey(family.id), this.#tokenKey(first.id), this.#userKey(family.id.slice(0, USER_TAG_LENGTH), family.userId),
        ttlMs, family.absoluteExpiresAt, family.createdAt, family.id, familyArgs.length, ...familyArgs, ...tokenFields(first),
      ),
    )
  }

  async find(tokenId: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | null> {
    const tokenHash = await this.#call('find', () => this.#client.hgetall(this.#tokenKey(tokenId)))
    const token = decodeToken(tokenId, tokenHash)
    if (!token) return null
    const family = decodeFamily(await this.#call('find', () => this.#client.hgetall(this.#familyKey(token.familyId))))
    return family ? { token, family } : null
  }

  async rotate(request: RotateRequest): Promise<RotateOutcome> {
    const { successor } = request
    const familyId = request.tokenId.slice(0, FAMILY_ID_LENGTH)
    const reply = await this.#call('rotate', () =>
      this.#commands.acmeRefreshRotate(
        this.#tokenKey(request.tokenId), this.#familyKey(familyId), this.#tokenKey(successor?.id ?? request.tokenId),
        request.tokenId, request.secretHash, request.now, request.graceMs, request.concurrentSince, request.idleExpiresAt,
        successor?.id ?? '', successor?.secretHash ?? '', request.sealedSuccessor ?? '',
      ),
    )
    const [kind, detail, revokedNow, flat] = reply as [string, string?, string?, string[]?]
    if (kind === 'reused' && revokedNow === '1') await this.#replicated(this.#familyKey(familyId))
    if (kind === 'invalid') return { kind }
    const family = flat ? decodeFamily(toObject(flat)) : null
    if (!family) throw new AuthError('ERR_STORE_UNAVAILABLE', 'Redis rotate returned no family')
    switch (kind) {
      case 'rotated': return { kind, family }
      case 'replayed': return { kind, family, sealedSuccessor: detail! }
      case 'reused': return { kind, family, reason: detail === 'revoked' ? 'revoked' : 'rotated', revokedNow: revokedNow === '1' }
      case 'expired': return { kind, family }
      default: throw new AuthError('ERR_STORE_UNAVAILABLE', `Redis rotate returned ${kind}`)
    }
  }

  async revokeFamily(familyId: string, now: number, reason: string): Promise<RefreshFamilyRecord | null> {
    const flat = await this.#call('revoke', () => this.#commands.acmeRefreshRevoke(this.#familyKey(familyId), now, reason))
    if (flat.length > 0) await this.#replicated(this.#familyKey(familyId))
    return flat.length > 0 ? decodeFamily(toObject(flat)) : null
  }

  async revokeAllForUser(userId: string, now: number, reason: string): Promise<RefreshFamilyRecord[]> {
    const tag = await userTag(userId)
    const replies = await this.#call('revokeAll', () =>
      this.#commands.acmeRefreshRevokeAll(this.#userKey(tag, userId), `${this.#base(tag)}:fam:`, now, reason),
    )
    if (replies.length > 0) await this.#replicated(this.#userKey(tag, userId))
    return replies.map((flat) => decodeFamily(toObject(flat))).filter((family): family is RefreshFamilyRecord => family !== null)
  }

  async updateRolesForUser(userId: string, roles: readonly string[], now: number): Promise<number> {
    const tag = await userTag(userId)
    return this.#call('updateRoles', () =>
      this.#commands.acmeRefreshUpdateRoles(this.#userKey(tag, userId), `${this.#base(tag)}:fam:`, now, JSON.stringify(roles)),
    )
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    const token = randomToken(12)
    const set = await this.#call('lock', () => this.#client.set(this.#lockKey(name), token, 'PX', ttlMs, 'NX'))
    return set === 'OK' ? token : null
  }

  async releaseLock(name: string, token: string): Promise<void> {
    await this.#call('unlock', () => this.#commands.acmeRefreshLockRelease(this.#lockKey(name), token))
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return redisCall(`refresh ${operation}`, run, this.#timeoutMs)
  }

  /** With `waitForReplicas`: the revocation written at `key`'s node has reached its replicas. */
  async #replicated(key: string): Promise<void> {
    const wait = this.#replicaWait
    if (wait) await this.#call('wait', () => waitForReplicas(this.#client, key, wait))
  }

  #base(tag: string): string {
    return `${this.#prefix}{rf:${tag}}`
  }

  #familyKey(familyId: string): string {
    return `${this.#base(familyId.slice(0, USER_TAG_LENGTH))}:fam:${familyId}`
  }

  #tokenKey(tokenId: string): string {
    return `${this.#base(tokenId.slice(0, USER_TAG_LENGTH))}:tok:${tokenId}`
  }

  #userKey(tag: string, userId: string): string {
    return `${this.#base(tag)}:user:${userId}`
  }

  #lockKey(name: string): string {
    return `${this.#base(name.slice(0, USER_TAG_LENGTH))}:lock:${name}`
  }
}
