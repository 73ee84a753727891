import { RedisSessionStore } from '@acme/auth-core/redis'
import { Redis } from 'ioredis'
import { deleteRedisPrefix, dumpRedis } from './redis-dump.js'
import { runSessionStoreConformance } from './index.js'

runSessionStoreConformance('RedisSessionStore on 127.0.0.1:6379', async () => {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, lazyConnect: true })
  await client.connect()
  const prefix = `test:conformance:${process.pid}:${Date.now()}:`
  const store = new RedisSessionStore({ client, prefix })
  return {
    store,
    dump: () => dumpRedis(client, prefix),
    async close() {
      await deleteRedisPrefix(client, prefix)
      await store.close()
      client.disconnect()
    },
  }
})
