import { deleteRedisPrefix, startRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
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
