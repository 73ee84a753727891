// validate() throughput: memory store, Redis uncached, Redis with the revocation-aware cache.
import { Redis } from 'ioredis'
import { createSessionManager } from '../src/sessions/session-manager.js'
import { MemorySessionStore } from '../src/sessions/memory-session-store.js'
import { RedisSessionStore } from '../src/redis/redis-session-store.js'
import { runBench } from './lib/harness.js'

export default async function sessionsBench() {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true })
  await redis.connect()
  const prefix = `bench:sessions:${process.pid}:`
  const memory = createSessionManager({ store: new MemorySessionStore() })
  const redisStore = new RedisSessionStore({ client: redis, prefix })
  const uncached = createSessionManager({ store: redisStore })
  const cached = createSessionManager({ store: redisStore, cache: { ttlSeconds: 30 } })

  const memoryToken = (await memory.create('bench-user')).token
  const redisToken = (await uncached.create('bench-user')).token

  try {
    return await runBench('sessions: validate() ops/s', {
      'memory store': () => memory.validate(memoryToken),
      'redis store, uncached': () => uncached.validate(redisToken),
      'redis store, cached': () => cached.validate(redisToken),
    })
  } finally {
    cached.close()
    await redisStore.close()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
    redis.disconnect()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await sessionsBench()
