import { RedisSessionStore } from '@acme/auth-core/redis'
import { Cluster } from 'ioredis'
import { startRedisCluster } from '../redis/redis-cluster.js'
import { dumpRedis } from './redis-dump.js'
import { runSessionStoreConformance } from './index.js'

runSessionStoreConformance('RedisSessionStore on a 3-master Redis Cluster', async () => {
  const cluster = await startRedisCluster({ masters: 3 })
  const client = new Cluster([...cluster.nodes], { enableOfflineQueue: true })
  const prefix = 'test:cluster:'
  const store = new RedisSessionStore({ client, prefix })
  return {
    store,
    dump: () => dumpRedis(client, prefix),
    async close() {
      await store.close()
      client.disconnect()
      await cluster.close()
    },
  }
})
