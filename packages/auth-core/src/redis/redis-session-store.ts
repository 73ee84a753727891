import { createHash } from 'node:crypto'
import type { SessionRecord } from '../sessions/session.js'
import type { SessionInvalidation, SessionPatch, SessionStore } from '../sessions/session-store.js'
import { randomToken } from '../lib/crypto.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import { createAuthMetrics, type AuthMetrics } from '../metrics/auth-metrics.js'
import { redisCall, requireRedisClient, validatePrefix, type RedisClient } from './redis-client.js'
import { replicaWaitOption, waitForReplicas, type ReplicaWaitOptions } from './redis-replica-wait.js'
import { decodeSession, encodeSession, encodeSessionPatch } from './redis-session-codec.js'
import { createScript, deleteAllScript, deleteScript, listScript, updateScript } from './redis-session-scripts.js'

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** An ioredis `Redis` or `Cluster`. Recommended: `enableOfflineQueue: false` so outages fail fast. */
  client: RedisClient
  /** Prefix of every key and of the invalidation channel. No braces. @default 'acme:auth:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
  /** The connection for invalidation notices. @default client.duplicate(), made on first use */
  subscriber?: RedisClient
  /**
   * Where the subscriber reports its liveness (the `revocation_listener.up` gauge, store `redis`)
   * and its re-subscriptions. @default createAuthMetrics(), the global meter provider
   */
  metrics?: AuthMetrics
  /**
   * After each revocation, wait until this many replicas have it (`WAIT`), so a master that fails
   * right after cannot take the revocation along. Costs a round trip of replication per
   * revocation (validation is not slowed); fewer acknowledgements in time fail the revocation with
   * ERR_STORE_UNAVAILABLE (the master has it; a retry is harmless). Off by default.
   */
  waitForReplicas?: ReplicaWaitOptions
}

// The subscriber must queue its SUBSCRIBE until connected and re-subscribe after a reconnect, even
// when the app's client fails fast (enableOfflineQueue: false) or connects lazily.
function duplicateForSubscribe(client: RedisClient): RedisClient {
  const overrides = { enableOfflineQueue: true, lazyConnect: false }
  return 'nodes' in client && typeof client.nodes === 'function'
    ? client.duplicate(undefined, overrides)
    : (client as Exclude<RedisClient, { nodes: unknown }>).duplicate(overrides)
}

interface SessionCommands {
  acmeSessionCreate(...args: (string | number)[]): Promise<number>
  acmeSessionUpdate(...args: (string | number)[]): Promise<number>
  acmeSessionDelete(...args: (string | number)[]): Promise<number>
  acmeSessionDeleteAll(...args: (string | number)[]): Promise<string[]>
  acmeSessionList(...args: (string | number)[]): Promise<string[]>
}

const tagLength = 8
const idleIndexSlackMs = 60_000

/**
 * Sessions in Redis or Redis Cluster, one compact JSON string per session (under 1 KB of Redis
 * memory each). TTLs live in Redis; multi-step operations are Lua scripts;
 * each user's sessions share one hash slot (the first 8 characters of a session id are a hash of
 * the user id), and revocations and rotations are broadcast on a pub/sub channel so that every
 * instance's cache drops them.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createSessionManager } from '@acme/auth-core'
 * import { RedisSessionStore } from '@acme/auth-core/redis'
 *
 * const store = new RedisSessionStore({ client: new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false }) })
 * const sessions = createSessionManager({ store, cache: { ttlSeconds: 30 } })
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: RedisClient
  readonly #commands: SessionCommands
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #replicaWait: Required<ReplicaWaitOptions> | undefined
  readonly #channel: string
  readonly #listeners = new Set<(invalidation: SessionInvalidation) => void>()
  #subscriber: RedisClient | undefined
  #subscribed: Promise<void> = Promise.resolve()
  #listening = false
  #listenedBefore = false
  readonly #ownsSubscriber: boolean
  readonly #metrics: AuthMetrics
  #stopReporting: (() => void) | undefined

  constructor(options: RedisSessionStoreOptions) {
    const input = requireObject(options, 'options')
    this.#client = requireRedisClient(input.client)
    const prefix = validatePrefix(input.prefix)
    this.#prefix = prefix
    this.#timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
    this.#replicaWait = replicaWaitOption(input.waitForReplicas, this.#timeoutMs)
    this.#channel = `${prefix}session-invalidations`
    this.#subscriber = options.subscriber
    this.#ownsSubscriber = options.subscriber === undefined
    this.#metrics =
      input.metrics === undefined ? createAuthMetrics() : requireMethods<AuthMetrics>(input.metrics, 'options.metrics', ['revocationListener', 'revocationListenerReconnect'])
    const define = (name: keyof SessionCommands, lua: string, numberOfKeys: number) => {
      this.#client.defineCommand(name, { lua, numberOfKeys })
    }
    define('acmeSessionCreate', createScript, 2)
    define('acmeSessionUpdate', updateScript, 1)
    define('acmeSessionDelete', deleteScript, 2)
    define('acmeSessionDeleteAll', deleteAllScript, 1)
    define('acmeSessionList', listScript, 1)
    this.#commands = this.#client as unknown as SessionCommands
  }

  createId(userId: string): string {
    return this.#tag(userId) + randomToken(16)
  }

  async create(record: SessionRecord, now: number): Promise<void> {
    const ttlMs = Math.max(1, Math.min(record.idleExpiresAt, record.absoluteExpiresAt) - now)
    const indexTtlMs = Math.max(1, record.absoluteExpiresAt - now + idleIndexSlackMs)
    await this.#call('create', () =>
      this.#commands.acmeSessionCreate(
        this.#sessionKey(record.id),
        this.#userKey(record.userId),
        record.id,
        ttlMs,
        record.absoluteExpiresAt,
        now,
        indexTtlMs,
        encodeSession(record),
      ),
    )
  }

  get(id: string, now: number): Promise<SessionRecord | null> {
    // Every uncached session check: one `.then`, no async frame of its own.
    return this.#call('get', () => this.#client.get(this.#sessionKey(id))).then((json) => {
      const record = decodeSession(id, json)
      if (!record || now >= record.idleExpiresAt || now >= record.absoluteExpiresAt) return null
      return record
    })
  }

  async update(id: string, patch: SessionPatch, now: number, expectedSecretHash?: string): Promise<boolean> {
    const ttlMs = patch.idleExpiresAt === undefined ? '' : Math.max(1, patch.idleExpiresAt - now)
    const applied = await this.#call('update', () =>
      this.#commands.acmeSessionUpdate(this.#sessionKey(id), expectedSecretHash ?? '', ttlMs, encodeSessionPatch(patch)),
    )
    if (applied === 1 && (patch.secretHash !== undefined || patch.data !== undefined || patch.authLevel !== undefined)) {
      await this.#publish([id])
    }
    return applied === 1
  }

  async delete(id: string, userId?: string): Promise<boolean> {
    const key = this.#sessionKey(id)
    const owner = userId ?? decodeSession(id, await this.#call('delete', () => this.#client.get(key)))?.userId
    if (owner === undefined) return false
    // The index key takes its slot from the session id, so a wrong owner can never pair two slots.
    const userKey = `${this.#prefix}{${id.slice(0, tagLength)}}:u:${owner}`
    const deleted = await this.#call('delete', () => this.#commands.acmeSessionDelete(key, userKey, id, owner))
    if (deleted === 1) await this.#replicated(key)
    if (deleted === 1) await this.#publish([id])
    return deleted === 1
  }

  async deleteAllForUser(userId: string, exceptId?: string): Promise<string[]> {
    const deleted = await this.#call('deleteAllForUser', () =>
      this.#commands.acmeSessionDeleteAll(this.#userKey(userId), this.#sessionKeyPrefix(userId), exceptId ?? ''),
    )
    if (deleted.length > 0) await this.#replicated(this.#userKey(userId))
    if (deleted.length > 0) await this.#publish(deleted)
    return deleted
  }

  async listForUser(userId: string, now: number): Promise<SessionRecord[]> {
    const flat = await this.#call('listForUser', () =>
      this.#commands.acmeSessionList(this.#userKey(userId), this.#sessionKeyPrefix(userId), now),
    )
    const records: SessionRecord[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = decodeSession(flat[i]!, flat[i + 1]!)
      if (record && now < record.idleExpiresAt && now < record.absoluteExpiresAt) records.push(record)
    }
    return records
  }

  onInvalidate(listener: (invalidation: SessionInvalidation) => void): () => void {
    this.#listeners.add(listener)
    this.#subscribe()
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /**
   * Resolves once invalidation notices are flowing (the channel is subscribed), for start-up
   * checks and tests. Resolves at once when no manager listens.
   */
  ready(): Promise<void> {
    return this.#subscribed
  }

  /** Whether the channel is subscribed now: a manager bypasses its cache while it is not. */
  invalidationsLive(): boolean {
    return this.#listening
  }

  /** Closes the invalidation connection this store opened (not the client you passed). */
  async close(): Promise<void> {
    const subscriber = this.#subscriber
    this.#subscriber = undefined
    this.#listening = false
    this.#stopReporting?.()
    this.#stopReporting = undefined
    if (subscriber && this.#ownsSubscriber) subscriber.disconnect()
    else await subscriber?.unsubscribe(this.#channel).catch(() => {})
  }

  #subscribe(): void {
    if (this.#subscriber && this.#subscriber.listenerCount('message') > 0) return
    const subscriber = (this.#subscriber ??= duplicateForSubscribe(this.#client))
    this.#stopReporting ??= this.#metrics.revocationListener('redis', () => this.#listening)
    const notify = (invalidation: SessionInvalidation) => {
      for (const listener of this.#listeners) listener(invalidation)
    }
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return
      try {
        const ids: unknown = JSON.parse(message)
        if (Array.isArray(ids)) notify(ids.filter((id): id is string => typeof id === 'string'))
      } catch {
        notify('all')
      }
    })
    // Notices sent while this connection is down, or before the server has acknowledged SUBSCRIBE,
    // are lost. ioredis emits `ready` before its automatic re-subscribe is acknowledged, so `ready`
    // proves nothing: we send SUBSCRIBE ourselves and only its reply ends the gap. Until then the
    // manager reads the store (invalidationsLive() is false); at the reply it drops every cached
    // session, so nothing read during the gap outlives it.
    const subscribe = () => {
      const done = subscriber.subscribe(this.#channel).then(
        () => {
          if (this.#subscriber !== subscriber) return
          if (!this.#listening && this.#listenedBefore) this.#metrics.revocationListenerReconnect('redis')
          this.#listening = this.#listenedBefore = true
          notify('all')
        },
        () => notify('all'),
      )
      this.#subscribed = done
      return done
    }
    subscriber.on('close', () => {
      this.#listening = false
      notify('all')
    })
    subscriber.on('ready', () => void subscribe())
    subscriber.on('error', () => {})
    void subscribe()
  }

  async #publish(ids: readonly string[]): Promise<void> {
    await this.#call('publish', () => this.#client.publish(this.#channel, JSON.stringify(ids)))
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return redisCall(operation, run, this.#timeoutMs)
  }

  /** With `waitForReplicas`: the revocation written at `key`'s node has reached its replicas. */
  async #replicated(key: string): Promise<void> {
    const wait = this.#replicaWait
    if (wait) await this.#call('wait', () => waitForReplicas(this.#client, key, wait))
  }

  #tag(userId: string): string {
    return createHash('sha256').update(userId).digest('base64url').slice(0, tagLength)
  }

  #sessionKey(id: string): string {
    return `${this.#prefix}{${id.slice(0, tagLength)}}:s:${id}`
  }

  #sessionKeyPrefix(userId: string): string {
    return `${this.#prefix}{${this.#tag(userId)}}:s:`
  }

  #userKey(userId: string): string {
    return `${this.#prefix}{${this.#tag(userId)}}:u:${userId}`
  }
}
