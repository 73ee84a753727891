import { Cluster } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { parseClusterNodes } from './cluster-nodes.js'
import { isPortFree } from './free-port.js'
import { pingRedis } from './redis-ping.js'
import { startRedisCluster } from './redis-cluster.js'

describe('startRedisCluster', () => {
  it('3 masters with a replica each: a killed master is replaced by its replica, with the data it had replicated', async () => {
    const cluster = await startRedisCluster({ masters: 3, replicas: 1 })
    const client = new Cluster([...cluster.nodes], { clusterRetryStrategy: () => 100 })
    client.on('error', () => {})
    try {
      expect(cluster.nodes).toHaveLength(6)
      const masters = await cluster.masters()
      expect(masters.map((m) => m.port)).toEqual(cluster.nodes.slice(0, 3).map((n) => n.port))
      // Keys on every master's slots; all replicated before the crash.
      const keys = Array.from({ length: 30 }, (_, i) => `kit:{k${i}}`)
      for (const key of keys) await client.set(key, key)
      await cluster.waitForReplication()

      const killed = await cluster.killMaster(0)
      expect(killed.port).toBe(masters[0]!.port)
      expect(await pingRedis(killed.port)).toBe(false)
      const failover = await cluster.waitForFailover()
      console.log(`replica promoted ${failover.afterMs} ms after the kill`)
      expect(failover.promoted).toHaveLength(1)
      expect(cluster.nodes.slice(3).map((n) => n.port)).toContain(failover.promoted[0])
      expect(failover.afterMs).toBeGreaterThan(1_000) // the node timeout is 2 s: no instant promotion
      expect(failover.afterMs).toBeLessThan(10_000)
      const now = await cluster.masters()
      expect(now.map((m) => m.port)).toEqual([failover.promoted[0], masters[1]!.port, masters[2]!.port])
      for (const key of keys) expect(await client.get(key)).toBe(key)
    } finally {
      client.disconnect()
      await cluster.close()
    }
    for (const node of cluster.nodes) expect(await isPortFree(node.port)).toBe(true)
  }, 40_000)

  it('refuses fewer than 3 masters (no majority to agree on a failure)', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(TypeError)
  })

  it('parses CLUSTER NODES', () => {
    const text = [
      'a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:7001@17001 master,fail - 0 0 2 connected 5461-10922 10923',
      'c3 127.0.0.1:7002@17002 slave a1 0 0 1 connected',
      'd4 :0@0 master,noaddr - 0 0 0 disconnected',
      '',
    ].join('\n')
    expect(parseClusterNodes(text)).toEqual([
      { id: 'a1', port: 7000, role: 'master', failed: false, masterId: undefined, slots: [[0, 5460]] },
      { id: 'b2', port: 7001, role: 'master', failed: true, masterId: undefined, slots: [[5461, 10922], [10923, 10923]] },
      { id: 'c3', port: 7002, role: 'replica', failed: false, masterId: 'a1', slots: [] },
    ])
  })
})
