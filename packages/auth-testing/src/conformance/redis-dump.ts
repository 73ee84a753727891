import type { Cluster, Redis } from 'ioredis'

/**
 * Every key under `prefix` with its value, as text: for checks that nothing secret is stored.
 * Works on a single Redis and on every master of a Cluster.
 */
export async function dumpRedis(client: Redis | Cluster, prefix: string): Promise<string> {
  const nodes: Redis[] = 'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client as Redis]
  const lines: string[] = []
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) {
        const type = await node.type(key)
        const value =
          type === 'hash' ? await node.hgetall(key)
          : type === 'zset' ? await node.zrange(key, 0, -1, 'WITHSCORES')
          : type === 'set' ? await node.smembers(key)
          : type === 'list' ? await node.lrange(key, 0, -1)
          : await node.get(key)
        lines.push(`${key} ${JSON.stringify(value)}`)
      }
    } while (cursor !== '0')
  }
  return lines.join('\n')
}

/** Deletes every key under `prefix` (single Redis or every master of a Cluster). */
export async function deleteRedisPrefix(client: Redis | Cluster, prefix: string): Promise<void> {
  const nodes: Redis[] = 'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client as Redis]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) await node.del(key)
    } while (cursor !== '0')
  }
}
