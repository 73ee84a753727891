import type { OneTimeTokenRecord, OneTimeTokenStore } from '../one-time-tokens/one-time-token-store.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { redisCall, requireRedisClient, validatePrefix, type RedisClient } from './redis-client.js'

/** Options of {@link RedisOneTimeTokenStore}. */
export interface RedisOneTimeTokenStoreOptions {
  /** An ioredis `Redis` or `Cluster`. */
  client: RedisClient
  /** Prefix of every key. No braces. @default 'acme:auth:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
}

// Redis's TTL only garbage-collects (it lags the caller's clock by `slack`); `e` decides expiry,
// against the `now` passed in, so a test clock drives Redis as it drives memory.
const gcSlackMs = 60_000

/**
 * KEYS: record. ARGV: secretHash, purpose, now → {userId, purpose, expiresAt} | nil.
 * Deletes only when hash and purpose match (a wrong guess cannot burn a token); deletes and answers
 * nil when expired. One script = one atomic step: of concurrent callers, exactly one gets the record.
 * The hash comparison is not constant-time; it compares SHA-256 digests, which an attacker cannot
 * steer byte by byte.
 */
const consumeScript = `
local r = redis.call('HMGET', KEYS[1], 'h', 'p', 'u', 'e')
if not r[1] or r[1] ~= ARGV[1] or r[2] ~= ARGV[2] then return nil end
redis.call('DEL', KEYS[1])
if tonumber(r[4]) <= tonumber(ARGV[3]) then return nil end
return {r[3], r[2], r[4]}
`

/**
 * KEYS: the user's index set. ARGV: token id, ttl ms. Adds the id and keeps the set alive as long
 * as its longest-lived token (one key: runs on Cluster).
 */
const indexScript = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`

interface OneTimeTokenCommands {
  acmeOneTimeTokenConsume(key: string, secretHash: string, purpose: string, now: number): Promise<[string, string, string] | null>
  acmeOneTimeTokenIndex(key: string, id: string, ttlMs: number): Promise<number>
}

/**
 * One-time tokens in Redis or Redis Cluster: one hash per token under a `{id}` hash tag, consumed by
 * one Lua script (atomic, single key, so it runs on Cluster).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createOneTimeTokens } from '@acme/auth-core'
 * import { RedisOneTimeTokenStore } from '@acme/auth-core/redis'
 *
 * const tokens = createOneTimeTokens({ store: new RedisOneTimeTokenStore({ client: new Redis(process.env.REDIS_URL!) }) })
 * ```
 */
export class RedisOneTimeTokenStore implements OneTimeTokenStore {
  readonly #client: RedisClient
  readonly #commands: OneTimeTokenCommands
  readonly #prefix: string
  readonly #timeoutMs: number

  constructor(options: RedisOneTimeTokenStoreOptions) {
    const input = requireObject(options, 'options')
    this.#client = requireRedisClient(input.client)
    const prefix = validatePrefix(input.prefix)
    this.#prefix = prefix
    this.#timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
    this.#client.defineCommand('acmeOneTimeTokenConsume', { lua: consumeScript, numberOfKeys: 1 })
    this.#client.defineCommand('acmeOneTimeTokenIndex', { lua: indexScript, numberOfKeys: 1 })
    this.#commands = this.#client as unknown as OneTimeTokenCommands
  }

  async save(record: OneTimeTokenRecord, now: number): Promise<void> {
    const key = this.#key(record.id)
    const ttlMs = Math.max(1, record.expiresAt - now) + gcSlackMs
    await redisCall(
      'one-time token save',
      () =>
        this.#client
          .multi()
          .hset(key, 'h', record.secretHash, 'p', record.purpose, 'u', record.userId, 'e', String(record.expiresAt))
          .pexpire(key, ttlMs)
          .exec(),
      this.#timeoutMs,
    )
    // The user's index (for deleteAllForUser) is another key, in another slot on Cluster.
    await redisCall('one-time token index', () => this.#commands.acmeOneTimeTokenIndex(this.#userKey(record.userId), record.id, ttlMs), this.#timeoutMs)
  }

  /** Deletes every token of `userId` (account deletion); ids whose tokens already went are skipped. */
  async deleteAllForUser(userId: string): Promise<number> {
    const userKey = this.#userKey(userId)
    const ids = await redisCall('one-time token list', () => this.#client.smembers(userKey), this.#timeoutMs)
    // One DEL per token: each lives in its own slot on Cluster.
    const deleted = await Promise.all(ids.map((id) => redisCall('one-time token delete', () => this.#client.del(this.#key(id)), this.#timeoutMs)))
    await redisCall('one-time token index delete', () => this.#client.del(userKey), this.#timeoutMs)
    return deleted.reduce((sum, n) => sum + n, 0)
  }

  async consumeOne(id: string, match: { secretHash: string; purpose: string }, now: number): Promise<OneTimeTokenRecord | null> {
    const reply = await redisCall(
      'one-time token consume',
      () => this.#commands.acmeOneTimeTokenConsume(this.#key(id), match.secretHash, match.purpose, now),
      this.#timeoutMs,
    )
    if (reply === null) return null
    const [userId, purpose, expiresAt] = reply
    return { id, userId, purpose, secretHash: match.secretHash, expiresAt: Number(expiresAt) }
  }

  #userKey(userId: string): string {
    return `${this.#prefix}ott-user:${userId}`
  }

  #key(id: string): string {
    return `${this.#prefix}ott:{${id}}`
  }
}
