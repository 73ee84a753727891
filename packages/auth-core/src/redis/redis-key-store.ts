import { AuthError } from '../errors.js'
import type { KeyStore } from '../keys/key-store.js'
import { isSigningAlgorithm, type KeyRingState, type StoredSigningKey } from '../keys/signing-key.js'
import { randomToken } from '../lib/crypto.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { redisCall, requireRedisClient, validatePrefix, type RedisClient } from './redis-client.js'
import { keyRingCompareAndSetScript, releaseLockScript } from './redis-key-scripts.js'

/** Options of {@link RedisKeyStore}. */
export interface RedisKeyStoreOptions {
  /** An ioredis `Redis` or `Cluster`. Recommended: `enableOfflineQueue: false` so outages fail fast. */
  client: RedisClient
  /** Prefix of every key. No braces. @default 'acme:auth:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
}

interface KeyCommands {
  acmeKeyRingCas(key: string, expectedVersion: number, keys: string): Promise<number>
  acmeKeyLockRelease(key: string, token: string): Promise<number>
}


/**
 * The key ring in Redis or Redis Cluster, shared by every instance: one hash holds the ring
 * (a version and the keys as JSON, private keys sealed), written by compare-and-set; rotation
 * locks are `SET NX PX` keys released by compare-and-delete.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createKeyRing } from '@acme/auth-core'
 * import { RedisKeyStore } from '@acme/auth-core/redis'
 *
 * const store = new RedisKeyStore({ client: new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false }) })
 * const keyRing = createKeyRing({ store, secret: process.env.KEY_SECRET! })
 * ```
 */
export class RedisKeyStore implements KeyStore {
  readonly #client: RedisClient
  readonly #commands: KeyCommands
  readonly #ringKey: string
  readonly #lockPrefix: string
  readonly #timeoutMs: number

  constructor(options: RedisKeyStoreOptions) {
    const input = requireObject(options, 'options')
    this.#client = requireRedisClient(input.client)
    const prefix = validatePrefix(input.prefix)
    this.#ringKey = `${prefix}keyring`
    this.#lockPrefix = `${prefix}keyring:lock:`
    this.#timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
    this.#client.defineCommand('acmeKeyRingCas', { lua: keyRingCompareAndSetScript, numberOfKeys: 1 })
    this.#client.defineCommand('acmeKeyLockRelease', { lua: releaseLockScript, numberOfKeys: 1 })
    this.#commands = this.#client as unknown as KeyCommands
  }

  async load(): Promise<KeyRingState> {
    const [version, json] = await redisCall('key ring load', () => this.#client.hmget(this.#ringKey, 'version', 'keys'), this.#timeoutMs)
    if (version == null || json == null) return { version: 0, keys: [] }
    return { version: Number(version), keys: parseKeys(json) }
  }

  async compareAndSet(keys: readonly StoredSigningKey[], expectedVersion: number): Promise<boolean> {
    const written = await redisCall(
      'key ring write',
      () => this.#commands.acmeKeyRingCas(this.#ringKey, expectedVersion, JSON.stringify(keys)),
      this.#timeoutMs,
    )
    return written === 1
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    const token = randomToken(12)
    const set = await redisCall('lock', () => this.#client.set(this.#lockPrefix + name, token, 'PX', ttlMs, 'NX'), this.#timeoutMs)
    return set === 'OK' ? token : null
  }

  async releaseLock(name: string, token: string): Promise<void> {
    await redisCall('unlock', () => this.#commands.acmeKeyLockRelease(this.#lockPrefix + name, token), this.#timeoutMs)
  }
}

function parseKeys(json: string): StoredSigningKey[] {
  let keys: unknown
  try {
    keys = JSON.parse(json)
  } catch (error) {
    throw new AuthError('ERR_STORE_UNAVAILABLE', 'the stored key ring is not valid JSON', { cause: error })
  }
  const valid =
    Array.isArray(keys) &&
    keys.every((key: Partial<StoredSigningKey> | null) =>
      typeof key?.kid === 'string' && isSigningAlgorithm(key.alg) && typeof key.activatesAt === 'number' &&
      typeof key.sealedPrivateKey === 'string' && typeof key.publicJwk === 'object' && key.publicJwk !== null,
    )
  if (!valid) throw new AuthError('ERR_STORE_UNAVAILABLE', 'the stored key ring is malformed')
  return keys as StoredSigningKey[]
}
