import { MemorySecondFactorStore } from '@acme/auth-core'
import { PostgresSecondFactorStore } from '@acme/auth-core/postgres'
import { RedisSecondFactorStore } from '@acme/auth-core/redis'
import { runSecondFactorStoreConformance } from './index.js'
import { postgresHarness, conformanceTimeoutMs } from './test-postgres.js'
import { connectTestRedis, type TestRedis } from './test-redis.js'

runSecondFactorStoreConformance('MemorySecondFactorStore', () => {
  const store = new MemorySecondFactorStore()
  return { store, dump: () => Promise.resolve(JSON.stringify(store.snapshot())) }
})

runSecondFactorStoreConformance('RedisSecondFactorStore on 127.0.0.1:6379', async () => {
  const redis = await connectTestRedis('mfa')
  const others: TestRedis[] = []
  return {
    store: new RedisSecondFactorStore({ client: redis.client, prefix: redis.prefix }),
    dump: redis.dump,
    async another() {
      const other = await connectTestRedis('mfa')
      others.push(other)
      return new RedisSecondFactorStore({ client: other.client, prefix: redis.prefix })
    },
    async close() {
      for (const other of others) other.client.disconnect()
      await redis.close()
    },
  }
})

runSecondFactorStoreConformance('PostgresSecondFactorStore on 127.0.0.1:5432',
  postgresHarness((pool, schema) => new PostgresSecondFactorStore({ pool, schema, timeoutMs: conformanceTimeoutMs })),
)
