// Every store conformance suite on one 3-master Redis Cluster, started once for this file: each
// test gets a fresh key prefix on two shared cluster clients (a second instance is the second client).
import { createRedisRateLimitStore, RedisKeyStore, RedisOneTimeTokenStore, RedisRefreshStore, RedisSecondFactorStore, RedisSessionStore } from '@acme/auth-core/redis'
import { Cluster } from 'ioredis'
import { afterAll } from 'vitest'
import { startRedisCluster, type TestRedisCluster } from '../redis/redis-cluster.js'
import { deleteRedisPrefix, dumpRedis } from './redis-dump.js'
import type { StoreHarness } from './store-harness.js'
import {
  runKeyStoreConformance,
  runOneTimeTokenStoreConformance,
  runRateLimitStoreConformance,
  runRefreshStoreConformance,
  runSecondFactorStoreConformance,
  runSessionStoreConformance,
} from './index.js'

interface SharedCluster {
  cluster: TestRedisCluster
  clients: [Cluster, Cluster]
}

let shared: Promise<SharedCluster> | undefined
let run = 0

async function start(): Promise<SharedCluster> {
  const cluster = await startRedisCluster({ masters: 3 })
  const connect = async () => {
    const client = new Cluster([...cluster.nodes], { enableOfflineQueue: true })
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve)
      client.once('error', reject)
    })
    return client
  }
  return { cluster, clients: [await connect(), await connect()] }
}

afterAll(async () => {
  if (!shared) return
  const { cluster, clients } = await shared
  for (const client of clients) client.disconnect()
  await cluster.close()
})

async function clusterHarness<Store>(make: (client: Cluster, prefix: string) => Store): Promise<StoreHarness<Store>> {
  const { clients } = await (shared ??= start())
  const [client, other] = clients
  const prefix = `test:cluster:${process.pid}:${++run}:`
  return {
    store: make(client, prefix),
    dump: () => dumpRedis(client, prefix),
    another: () => make(other, prefix),
    close: () => deleteRedisPrefix(client, prefix),
  }
}

const name = (store: string) => `${store} on a 3-master Redis Cluster`

runSessionStoreConformance(name('RedisSessionStore'), async () => {
  const harness = await clusterHarness((client, prefix) => new RedisSessionStore({ client, prefix }))
  return {
    ...harness,
    async close() {
      await harness.store.close()
      await harness.close?.()
    },
  }
})
runKeyStoreConformance(name('RedisKeyStore'), () => clusterHarness((client, prefix) => new RedisKeyStore({ client, prefix })))
runRefreshStoreConformance(name('RedisRefreshStore'), () => clusterHarness((client, prefix) => new RedisRefreshStore({ client, prefix })))
runOneTimeTokenStoreConformance(name('RedisOneTimeTokenStore'), () =>
  clusterHarness((client, prefix) => new RedisOneTimeTokenStore({ client, prefix })),
)
runRateLimitStoreConformance(name('Redis rate-limit store'), () =>
  clusterHarness((client, prefix) => createRedisRateLimitStore({ client, prefix })),
)
runSecondFactorStoreConformance(name('RedisSecondFactorStore'), () =>
  clusterHarness((client, prefix) => new RedisSecondFactorStore({ client, prefix })),
)
