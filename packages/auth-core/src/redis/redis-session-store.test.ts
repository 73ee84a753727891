import { deleteRedisPrefix, startRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../errors.js'
import { createSessionManager } from '../sessions/session-manager.js'
import { RedisSessionStore } from './redis-session-store.js'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `test:core-sessions:${process.pid}:`
const clients: Redis[] = []

async function connect(url = redisUrl): Promise<Redis> {
  const client = new Redis(url, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 })
  clients.push(client)
  await client.connect()
  return client
}

afterAll(async () => {
  const cleaner = await connect()
  await deleteRedisPrefix(cleaner, prefix)
  for (const client of clients) client.disconnect()
})

describe('RedisSessionStore', () => {
  it('waitForReplicas: a revocation no replica acknowledged in time fails closed (the master has it), other operations never wait', async () => {
    const client = await connect()
    const { connected_slaves: replicas } = Object.fromEntries(
      (await client.info('replication')).split('\r\n').map((line) => line.split(':') as [string, string]),
    ) as { connected_slaves?: string }
    const store = new RedisSessionStore({ client, prefix, waitForReplicas: { replicas: Number(replicas ?? 0) + 1, timeoutMs: 50 } })
    const sessions = createSessionManager({ store })
    const { token, session } = await sessions.create('wendy')
    expect(await sessions.validate(token)).not.toBeNull()
    const started = performance.now()
    const error: unknown = await sessions.revoke(session.id).catch((caught: unknown) => caught)
    expect(isAuthError(error) && error.code === 'ERR_STORE_UNAVAILABLE').toBe(true)
    expect(performance.now() - started).toBeGreaterThanOrEqual(45) // it waited for WAIT's timeout
    expect(await store.get(session.id, Date.now())).toBeNull() // the write itself was made
    expect(() => new RedisSessionStore({ client, prefix, waitForReplicas: { timeoutMs: 1000 } })).toThrow(TypeError) // not below timeoutMs
    expect(() => new RedisSessionStore({ client, prefix, waitForReplicas: { replicas: 0, timeoutMs: 10 } })).toThrow(TypeError)
  })

  it('a session revoked through one manager is rejected by a second (own cache, same Redis) within 100 ms', async () => {
    const storeA = new RedisSessionStore({ client: await connect(), prefix })
    const clientB = await connect()
    const storeB = new RedisSessionStore({ client: clientB, prefix })
    const a = createSessionManager({ store: storeA, cache: { ttlSeconds: 60 } })
    const b = createSessionManager({ store: storeB, cache: { ttlSeconds: 60 } })
    const { token, session } = await a.create('alice')
    expect(await b.validate(token)).not.toBeNull()
    await storeB.ready() // B's invalidation channel is subscribed
    expect(await b.validate(token)).not.toBeNull() // and B has the session cached

    // Prove B answers from its cache: with its connection's commands failing, it still validates.
    const hgetall = clientB.hgetall.bind(clientB)
    clientB.hgetall = () => Promise.reject(new Error('B must not read Redis here'))
    expect(await b.validate(token)).not.toBeNull()
    clientB.hgetall = hgetall

    await a.revoke(session.id)
    const revokedAt = performance.now()
    while ((await b.validate(token)) !== null) {
      expect(performance.now() - revokedAt).toBeLessThan(100)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(performance.now() - revokedAt).toBeLessThan(100)
    a.close()
    b.close()
    await Promise.all([storeA.close(), storeB.close()])
  })

  it('a revocation published while the subscriber re-subscribes is never served from the cache', async () => {
    // ioredis emits `ready` before its SUBSCRIBE is acknowledged: a notice published in between is
    // lost. Hold the subscriber's SUBSCRIBE after a reconnect to open that gap on purpose.
    const redis = await startRedisServer({ persistent: false })
    const admin = new Redis(redis.url, { lazyConnect: true })
    const subscriber = new Redis(redis.url, { retryStrategy: () => 20 })
    subscriber.on('error', () => {})
    const privateClients = [admin, subscriber]
    try {
      await admin.connect()
      const held: (() => void)[] = []
      let holdSubscribe = false
      const send = subscriber.sendCommand.bind(subscriber)
      subscriber.sendCommand = ((command: Parameters<typeof send>[0], stream?: Parameters<typeof send>[1]) => {
        if (!holdSubscribe || command.name !== 'subscribe') return send(command, stream)
        held.push(() => void send(command, stream))
        return command.promise
      })
      const [clientA, clientB] = [await connect(redis.url), await connect(redis.url)]
      privateClients.push(clientA, clientB)
      const storeA = new RedisSessionStore({ client: clientA, prefix })
      const storeB = new RedisSessionStore({ client: clientB, prefix, subscriber })
      const reads = { count: 0 }
      const get = storeB.get.bind(storeB)
      storeB.get = (id, now) => {
        reads.count++
        return get(id, now)
      }
      const a = createSessionManager({ store: storeA })
      const b = createSessionManager({ store: storeB, cache: { ttlSeconds: 60 } })
      const { token, session } = await a.create('carol')
      await storeB.ready()
      expect(await b.validate(token)).not.toBeNull()
      expect(await b.validate(token)).not.toBeNull()
      expect(reads.count).toBe(1) // the second answer came from B's cache

      holdSubscribe = true
      const back = new Promise<void>((resolve) => subscriber.once('ready', () => resolve()))
      await admin.client('KILL', 'TYPE', 'pubsub')
      await back // reconnected and `ready`, but not subscribed yet
      expect(held.length).toBeGreaterThan(0)
      expect(await admin.pubsub('NUMSUB', `${prefix}session-invalidations`)).toEqual([`${prefix}session-invalidations`, 0])
      expect(await b.validate(token)).not.toBeNull() // read during the gap (and not trusted to the cache)
      await a.revoke(session.id) // its notice reaches nobody
      expect(await b.validate(token)).toBeNull()

      // Once SUBSCRIBE is acknowledged, B caches again, and notices flow.
      holdSubscribe = false
      for (const release of held.splice(0)) release()
      await storeB.ready()
      expect(await b.validate(token)).toBeNull() // what B read during the gap was dropped at the reply
      const other = await a.create('carol')
      await b.validate(other.token)
      const before = reads.count
      expect(await b.validate(other.token)).not.toBeNull()
      expect(reads.count).toBe(before)
      await a.revoke(other.session.id)
      await vi.waitFor(async () => expect(await b.validate(other.token)).toBeNull(), { timeout: 1_000, interval: 5 })
      a.close()
      b.close()
      await Promise.all([storeA.close(), storeB.close()])
    } finally {
      for (const client of privateClients) client.disconnect()
      await redis.close()
    }
  })

  it('Redis stopped mid-test: validate throws ERR_STORE_UNAVAILABLE fast, and works again once Redis is back', async () => {
    const redis = await startRedisServer()
    try {
      const client = new Redis(redis.url, {
        enableOfflineQueue: false,
        lazyConnect: true,
        retryStrategy: () => 50,
      })
      clients.push(client)
      client.on('error', () => {})
      await client.connect()
      const store = new RedisSessionStore({ client, prefix, timeoutMs: 500 })
      const sessions = createSessionManager({ store })
      const { token } = await sessions.create('bob')
      expect(await sessions.validate(token)).not.toBeNull()

      await redis.stop()
      const started = performance.now()
      const error: unknown = await sessions.validate(token).catch((caught: unknown) => caught)
      expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
      expect(performance.now() - started).toBeLessThan(1_000)

      await redis.start()
      await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())))
      expect((await sessions.validate(token))?.session.userId).toBe('bob')
    } finally {
      await redis.close()
    }
  })
})
