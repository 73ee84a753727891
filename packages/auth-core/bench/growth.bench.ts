// How cost grows (issue: "validate flat from 1 k to 1 M sessions, refresh with 1 vs 50 devices,
// revocation to 4 instances"): validate() ops/s with 1 k, 100 k and 1 M other sessions in the
// memory store and in Redis (uncached: every validate is a round trip); refresh rotations/s for a user with 1 and with 50 devices (families + sessions);
// and the time from a revoke on one instance until four other instances (own caches, one private
// Redis, pub/sub) all reject the token, p50 / p99 over many revocations.
import { startRedisServer } from '../../auth-testing/src/redis/redis-server.js'
import { Redis } from 'ioredis'
import { createKeyRing } from '../src/keys/key-ring.js'
import { MemoryKeyStore } from '../src/keys/memory-key-store.js'
import { createRefreshFamilies } from '../src/refresh/refresh-families.js'
import { MemoryRefreshStore } from '../src/refresh/memory-refresh-store.js'
import { RedisSessionStore } from '../src/redis/redis-session-store.js'
import { createSessionManager } from '../src/sessions/session-manager.js'
import { MemorySessionStore } from '../src/sessions/memory-session-store.js'
import type { SessionRecord } from '../src/sessions/session.js'
import type { SessionStore } from '../src/sessions/session-store.js'
import { createAccessTokens } from '../src/tokens/access-tokens.js'
import { runRounds, type BenchRow } from './lib/harness.js'

const quick = process.env.BENCH_QUICK === '1'
const day = 24 * 60 * 60 * 1000

const sizes = quick ? [1_000, 10_000] : [1_000, 100_000, 1_000_000]

/**
 * Tops the store up to `n` sessions of other users, written through the store's own `create` (what
 * sign-ins would have left: the session and its user's index), 1000 at a time.
 */
async function fill(store: SessionStore, from: number, n: number) {
  const now = Date.now()
  for (let i = from; i < n; i += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, n - i) }, (_, j) => {
        const userId = `user-${(i + j) % 50_000}`
        const record: SessionRecord = {
          id: store.createId?.(userId) ?? `filler${(i + j).toString(36).padStart(18, '0')}`,
          userId,
          secretHash: 'x'.repeat(43),
          createdAt: now, lastSeenAt: now, idleExpiresAt: now + 7 * day, absoluteExpiresAt: now + 30 * day,
          authLevel: 'password', authenticatedAt: now, data: {},
        }
        return store.create(record, now)
      }),
    )
  }
}

const validateTask = (size: number) => `validate() with ${size.toLocaleString('en')} sessions stored`

async function memoryValidateRows(): Promise<BenchRow[]> {
  const tasks: Record<string, () => unknown> = {}
  const keep: unknown[] = []
  for (const size of sizes) {
    const store = new MemorySessionStore()
    await fill(store, 0, size)
    const sessions = createSessionManager({ store })
    const { token } = await sessions.create('bench-user')
    keep.push(store)
    tasks[`${validateTask(size)} (memory store)`] = () => sessions.validate(token)
  }
  const rows = await runRounds('growth: validate() vs sessions stored (memory store)', tasks)
  keep.length = 0
  return rows
}

/** One private Redis, one logical database per size (own keyspace), measured one after the other. */
async function redisValidateRows(): Promise<BenchRow[]> {
  const redis = await startRedisServer({ persistent: false })
  const clients: Redis[] = []
  try {
    const tasks: Record<string, () => unknown> = {}
    for (const [db, size] of sizes.entries()) {
      const client = new Redis(redis.url, { lazyConnect: true, db })
      await client.connect()
      clients.push(client)
      const store = new RedisSessionStore({ client, prefix: `bench:growth:${process.pid}:` })
      const sessions = createSessionManager({ store })
      const { token } = await sessions.create('bench-user')
      await fill(store, 1, size)
      for (let i = 0; i < 2000; i++) await sessions.validate(token) // warm the client and the JIT
      tasks[`${validateTask(size)} (Redis, uncached)`] = () => sessions.validate(token)
    }
    const keys = await Promise.all(clients.map((client) => client.dbsize()))
    return await runRounds(`growth: validate() vs sessions stored (Redis, uncached; keys per database ${keys.join(' / ')})`, tasks)
  } finally {
    for (const client of clients) client.disconnect()
    await redis.close()
  }
}

async function refreshRows(): Promise<BenchRow[]> {
  const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'bench-key-encryption-secret-32-chars!!' })
  await keyRing.ready()
  const accessTokens = createAccessTokens({ keyRing, issuer: 'https://bench.test', audience: 'app' })
  const tasks: Record<string, () => unknown> = {}
  for (const devices of [1, 50]) {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const families = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions, graceSeconds: 0 })
    let current = ''
    for (let i = 0; i < devices; i++) {
      const { session } = await sessions.create('bench-user')
      const issued = await families.issue({ sub: 'bench-user', sid: session.id, roles: ['member'] })
      current = issued.refreshToken // the device that keeps refreshing: the last one
    }
    tasks[`refresh rotation, user with ${devices} device${devices === 1 ? '' : 's'}`] = async () => {
      current = (await families.rotate(current)).refreshToken
    }
  }
  return runRounds('growth: refresh rotations vs devices of the user (memory stores)', tasks)
}

async function revocationRows() {
  const redis = await startRedisServer({ persistent: false })
  const clients: Redis[] = []
  const client = async () => {
    const c = new Redis(redis.url, { lazyConnect: true })
    await c.connect()
    clients.push(c)
    return c
  }
  const prefix = `bench:growth:${process.pid}:`
  const origin = createSessionManager({ store: new RedisSessionStore({ client: await client(), prefix }) })
  const stores: RedisSessionStore[] = []
  const instances = []
  for (let i = 0; i < 4; i++) {
    const store = new RedisSessionStore({ client: await client(), prefix, subscriber: await client() })
    await store.ready()
    stores.push(store)
    instances.push(createSessionManager({ store, cache: { ttlSeconds: 60 } }))
  }
  const rounds = quick ? 20 : 200
  const delays: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const { token, session } = await origin.create('bench-user')
      for (const instance of instances) if (!(await instance.validate(token))) throw new Error('an instance did not see the new session')
      const started = performance.now()
      await origin.revoke(session.id)
      const pending = new Set(instances)
      while (pending.size > 0) {
        for (const instance of [...pending]) if ((await instance.validate(token)) === null) pending.delete(instance)
        // A cache hit resolves without I/O: yield, or the notice on the socket is never read.
        await new Promise((resolve) => setImmediate(resolve))
        if (performance.now() - started > 5_000) throw new Error('a revocation did not reach every instance within 5 s')
      }
      delays.push(performance.now() - started)
    }
  } finally {
    for (const instance of instances) instance.close()
    await Promise.all(stores.map((store) => store.close()))
    for (const c of clients) c.disconnect()
    await redis.close()
  }
  delays.sort((a, b) => a - b)
  const at = (q: number) => Number(delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(2))
  const result = { rounds, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) }
  console.log('\n## growth: revoke on one instance → rejected by 4 others (private Redis, pub/sub, own caches)')
  console.table([result])
  return result
}

export default async function growthBench() {
  const validate = [...(await memoryValidateRows()), ...(await redisValidateRows())]
  const refresh = await refreshRows()
  const revocationToFourInstances = await revocationRows()
  return { rows: [...validate, ...refresh], revocationToFourInstances }
}

if (import.meta.url === `file://${process.argv[1]}`) await growthBench()
