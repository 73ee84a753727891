import { MemoryOneTimeTokenStore } from '@acme/auth-core'
import { RedisOneTimeTokenStore } from '@acme/auth-core/redis'
import { runOneTimeTokenStoreConformance } from './index.js'
import { connectTestRedis, type TestRedis } from './test-redis.js'
import { PostgresOneTimeTokenStore } from '@acme/auth-core/postgres'
import { postgresHarness, conformanceTimeoutMs } from './test-postgres.js'

runOneTimeTokenStoreConformance('MemoryOneTimeTokenStore', () => {
  const store = new MemoryOneTimeTokenStore()
  return { store, dump: () => Promise.resolve(JSON.stringify(store.snapshot())) }
})

runOneTimeTokenStoreConformance('RedisOneTimeTokenStore on 127.0.0.1:6379', async () => {
  const redis = await connectTestRedis('ott')
  const others: TestRedis[] = []
  return {
    store: new RedisOneTimeTokenStore({ client: redis.client, prefix: redis.prefix }),
    dump: redis.dump,
    async another() {
      const other = await connectTestRedis('ott')
      others.push(other)
      return new RedisOneTimeTokenStore({ client: other.client, prefix: redis.prefix })
    },
    async close() {
      for (const other of others) other.client.disconnect()
      await redis.close()
    },
  }
})

runOneTimeTokenStoreConformance('PostgresOneTimeTokenStore on 127.0.0.1:5432',
  postgresHarness((pool, schema) => new PostgresOneTimeTokenStore({ pool, schema, timeoutMs: conformanceTimeoutMs })),
)
