// For this package's own Redis conformance runs (not exported): one connection and one fresh key
// prefix per harness, deleted again by close(). Never FLUSHALL: the server may be shared.
import { Redis } from 'ioredis'
import { deleteRedisPrefix, dumpRedis } from './redis-dump.js'

export interface TestRedis {
  client: Redis
  prefix: string
  dump(): Promise<string>
  close(): Promise<void>
}

let run = 0

export async function connectTestRedis(kind: string): Promise<TestRedis> {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, lazyConnect: true })
  await client.connect()
  const prefix = `test:conformance:${kind}:${process.pid}:${Date.now()}:${++run}:`
  return {
    client,
    prefix,
    dump: () => dumpRedis(client, prefix),
    async close() {
      await deleteRedisPrefix(client, prefix)
      client.disconnect()
    },
  }
}
