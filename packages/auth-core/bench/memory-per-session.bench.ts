// Bytes per session: 100k sessions in the memory store (live heap after GC) and in Redis
// (used_memory of a private Redis started for this run).
// The testing kit from source (core cannot depend on it: it depends on core).
import { startRedisServer } from '../../auth-testing/src/redis/redis-server.js'
import { Redis } from 'ioredis'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createSessionManager } from '../src/sessions/session-manager.js'
import { MemorySessionStore } from '../src/sessions/memory-session-store.js'
import { RedisSessionStore } from '../src/redis/redis-session-store.js'

const count = Number(process.env.BENCH_SESSIONS ?? (process.env.BENCH_QUICK === '1' ? 10_000 : 100_000))
const meta = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', ip: '203.0.113.42' }

async function createMany(create: (i: number) => Promise<unknown>) {
  for (let i = 0; i < count; i += 500) await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, j) => create(i + j)))
}

export default async function memoryPerSessionBench() {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void

  const store = new MemorySessionStore()
  const memory = createSessionManager({ store })
  gc()
  const before = process.memoryUsage().heapUsed
  await createMany((i) => memory.create(`user-${i % 20_000}`, meta))
  gc()
  const memoryBytes = Math.round((process.memoryUsage().heapUsed - before) / count)

  const redis = await startRedisServer({ persistent: false })
  const client = new Redis(redis.url, { lazyConnect: true })
  await client.connect()
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1])
    const baseline = await used()
    const sessions = createSessionManager({ store: new RedisSessionStore({ client }) })
    await createMany((i) => sessions.create(`user-${i % 20_000}`, meta))
    const redisBytes = Math.round(((await used()) - baseline) / count)
    const rows = [
      { name: 'memory store', sessions: count, bytesPerSession: memoryBytes },
      { name: 'redis store', sessions: count, bytesPerSession: redisBytes },
    ]
    console.log(`\n## memory per session (${count} sessions, ${20_000} users, user agent and IP kept)`)
    console.table(rows)
    return rows
  } finally {
    client.disconnect()
    await redis.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await memoryPerSessionBench()
