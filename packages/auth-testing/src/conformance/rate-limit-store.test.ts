import { createRedisRateLimitStore } from '@acme/auth-core/redis'
import { createTestRateLimitStore } from '../stores/test-rate-limit-store.js'
import { runRateLimitStoreConformance } from './index.js'
import { connectTestRedis, type TestRedis } from './test-redis.js'
import { createPostgresRateLimitStore } from '@acme/auth-core/postgres'
import { postgresHarness } from './test-postgres.js'

runRateLimitStoreConformance('MemoryRateLimitStore (inspectable)', () => {
  const store = createTestRateLimitStore()
  return { store, dump: () => Promise.resolve(JSON.stringify(store.snapshot())) }
})

runRateLimitStoreConformance('Redis rate-limit store on 127.0.0.1:6379', async () => {
  const redis = await connectTestRedis('rate-limit')
  const others: TestRedis[] = []
  return {
    store: createRedisRateLimitStore({ client: redis.client, prefix: redis.prefix }),
    dump: redis.dump,
    async another() {
      const other = await connectTestRedis('rate-limit')
      others.push(other)
      return createRedisRateLimitStore({ client: other.client, prefix: redis.prefix })
    },
    async close() {
      for (const other of others) other.client.disconnect()
      await redis.close()
    },
  }
})

runRateLimitStoreConformance('PostgreSQL rate-limit store on 127.0.0.1:5432',
  postgresHarness((pool, schema) => createPostgresRateLimitStore({ pool, schema })),
)
