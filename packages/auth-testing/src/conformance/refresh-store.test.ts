import { MemoryRefreshStore } from '@acme/auth-core'
import { RedisRefreshStore } from '@acme/auth-core/redis'
import { snapshotRefreshStore } from '../stores/snapshot-refresh-store.js'
import { runRefreshStoreConformance } from './index.js'
import { connectTestRedis, type TestRedis } from './test-redis.js'
import { PostgresRefreshStore } from '@acme/auth-core/postgres'
import { postgresHarness, conformanceTimeoutMs } from './test-postgres.js'

runRefreshStoreConformance('MemoryRefreshStore', () => {
  const store = new MemoryRefreshStore()
  return { store, dump: async () => JSON.stringify(await snapshotRefreshStore(store)) }
})

runRefreshStoreConformance('RedisRefreshStore on 127.0.0.1:6379', async () => {
  const redis = await connectTestRedis('refresh')
  const others: TestRedis[] = []
  return {
    store: new RedisRefreshStore({ client: redis.client, prefix: redis.prefix }),
    dump: redis.dump,
    async another() {
      const other = await connectTestRedis('refresh')
      others.push(other)
      return new RedisRefreshStore({ client: other.client, prefix: redis.prefix })
    },
    async close() {
      for (const other of others) other.client.disconnect()
      await redis.close()
    },
  }
})

runRefreshStoreConformance('PostgresRefreshStore on 127.0.0.1:5432',
  postgresHarness((pool, schema) => new PostgresRefreshStore({ pool, schema, timeoutMs: conformanceTimeoutMs })),
)
