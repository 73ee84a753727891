import { MemoryKeyStore } from '@acme/auth-core'
import { RedisKeyStore } from '@acme/auth-core/redis'
import { runKeyStoreConformance } from './index.js'
import { connectTestRedis, type TestRedis } from './test-redis.js'
import { PostgresKeyStore } from '@acme/auth-core/postgres'
import { postgresHarness, conformanceTimeoutMs } from './test-postgres.js'

runKeyStoreConformance('MemoryKeyStore', () => {
  const store = new MemoryKeyStore()
  return { store, dump: async () => JSON.stringify(await store.load()) }
})

runKeyStoreConformance('RedisKeyStore on 127.0.0.1:6379', async () => {
  const redis = await connectTestRedis('keys')
  const others: TestRedis[] = []
  return {
    store: new RedisKeyStore({ client: redis.client, prefix: redis.prefix }),
    dump: redis.dump,
    async another() {
      const other = await connectTestRedis('keys')
      others.push(other)
      return new RedisKeyStore({ client: other.client, prefix: redis.prefix })
    },
    async close() {
      for (const other of others) other.client.disconnect()
      await redis.close()
    },
  }
})

runKeyStoreConformance('PostgresKeyStore on 127.0.0.1:5432', postgresHarness((pool, schema) => new PostgresKeyStore({ pool, schema, timeoutMs: conformanceTimeoutMs })))
