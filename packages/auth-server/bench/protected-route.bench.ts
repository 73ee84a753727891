// A protected route's req/s under autocannon, the servers side by side: bare Express, the
// hand-written ideal, @acme/auth-server (memory, Redis and PostgreSQL uncached and with the
// revocation-aware cache, the token strategy, the Fetch adapter), express-session (MemoryStore,
// connect-redis, connect-pg-simple); and bytes per session row in PostgreSQL. Interleaved rounds,
// ratios within a round, median with min–max (see tooling/bench.js and bench/lib/rounds.ts).
import { randomToken } from '@acme/auth-core/internal'
import { pinLoadGenerator } from '@acme/tooling/bench'
import { Redis } from 'ioredis'
import { fileURLToPath } from 'node:url'
import { startRedisServer } from '../../auth-testing/src/redis/redis-server.js'
import { benchPostgres } from './lib/bench-postgres.js'
import { sessionRowSizes, type SessionRowSizes } from './lib/postgres-row-size.js'
import { protectedScenarios, type ProtectedScenario } from './lib/protected-scenarios.js'
import { runRounds, type RatioGoal, type RoundsResult, type Scenario } from './lib/rounds.js'
import { startServer, type ServerProcess } from './lib/server-process.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const benchPrefix = `bench:protected:${process.pid}:`

export const protectedRatios: ReadonlyArray<RatioGoal<ProtectedScenario>> = [
  { name: 'Acme memory store ÷ ideal', numerator: 'acme-memory', denominator: 'ideal', goal: 0.97 },
  { name: 'Acme Redis cached ÷ ideal', numerator: 'acme-redis-cached', denominator: 'ideal', goal: 0.95 },
  { name: 'Acme Redis uncached ÷ express-session + connect-redis', numerator: 'acme-redis', denominator: 'express-session-redis', goal: 1.4 },
  { name: 'Acme Postgres uncached ÷ express-session + connect-pg-simple', numerator: 'acme-postgres', denominator: 'express-session-postgres', goal: 1.3 },
  { name: 'Acme Postgres cached ÷ bare Express', numerator: 'acme-postgres-cached', denominator: 'bare', goal: 0.85 },
  { name: 'Acme token strategy ÷ bare Express', numerator: 'acme-token', denominator: 'bare', goal: 0.9 },
  { name: 'Acme memory store ÷ bare Express', numerator: 'acme-memory', denominator: 'bare' },
  { name: 'Acme Redis cached ÷ bare Express', numerator: 'acme-redis-cached', denominator: 'bare' },
  { name: 'ideal ÷ bare Express', numerator: 'ideal', denominator: 'bare' },
  { name: 'express-session MemoryStore ÷ bare Express', numerator: 'express-session-memory', denominator: 'bare' },
  { name: 'Fetch adapter GET /auth/session ÷ bare Fetch handler (memory store)', numerator: 'acme-fetch-session', denominator: 'fetch-bare' },
  { name: 'bare Fetch handler on Node ÷ bare Express', numerator: 'fetch-bare', denominator: 'bare' },
]

/** Starts a Redis for the bench (beside the load generator) unless REDIS_URL names one. */
export async function benchRedis(): Promise<{ url: string; where: string; close: () => Promise<void> }> {
  const given = process.env.REDIS_URL
  if (given) {
    // A shared Redis: leave its process alone, delete only the keys the bench servers wrote.
    const close = async () => {
      const client = new Redis(given, { lazyConnect: true })
      await client.connect()
      let cursor = '0'
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${benchPrefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await client.del(...keys)
      } while (cursor !== '0')
      client.disconnect()
    }
    return { url: given, where: `${given} (given by REDIS_URL, not pinned by the bench)`, close }
  }
  const redis = await startRedisServer({ persistent: false })
  return { url: redis.url, where: 'a private redis-server started by the bench, no persistence, on the load generator core', close: () => redis.close() }
}

/** Whether a scenario needs the bench's PostgreSQL. */
export const usesPostgres = (name: ProtectedScenario) => name.endsWith('-postgres') || name.endsWith('-postgres-cached')

/** Starts one server per scenario with the shared credentials; `databaseUrl` is needed by the `*-postgres*` scenarios. */
export async function startProtectedServers(
  names: readonly ProtectedScenario[],
  redisUrl: string,
  extra: { databaseUrl?: string; nodeFlags?: readonly string[]; wrapper?: (scenario: ProtectedScenario) => readonly string[]; onLine?: (scenario: string, line: string) => void } = {},
) {
  const env = {
    REDIS_URL: redisUrl,
    ...(extra.databaseUrl ? { BENCH_DATABASE_URL: extra.databaseUrl } : {}),
    BENCH_PREFIX: benchPrefix,
    BENCH_SESSION_TOKEN: `${randomToken(18)}.${randomToken(32)}`,
    BENCH_EXPRESS_SID: randomToken(24),
  }
  const servers = new Map<ProtectedScenario, ServerProcess>()
  try {
    // One after the other: they all start on the server core.
    for (const name of names) {
      servers.set(
        name,
        await startServer(name, `${here}protected-route-server.ts`, [name], {
          env,
          ...(extra.nodeFlags ? { nodeFlags: extra.nodeFlags } : {}),
          ...(extra.wrapper ? { wrapper: extra.wrapper(name) } : {}),
          ...(extra.onLine ? { onLine: (line: string) => extra.onLine!(name, line) } : {}),
        }),
      )
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.stop()))
    throw error
  }
  return servers
}

/** One Cookie header with every scenario's credentials; the `__Host-sid` scenarios must agree on theirs. */
export async function sharedCookie(servers: Iterable<ServerProcess>): Promise<string> {
  const pairs = new Map<string, string>()
  for (const server of servers) {
    const answer = await server.cookie()
    for (const pair of answer === '' ? [] : answer.split('; ')) {
      const name = pair.slice(0, pair.indexOf('='))
      const seen = pairs.get(name)
      if (seen !== undefined && seen !== pair) throw new Error(`${server.name} wants a different ${name} cookie than another scenario`)
      pairs.set(name, pair)
    }
  }
  return [...pairs.values()].join('; ')
}

const userIs = (text: string) => {
  try {
    // `{ user: 'bench-user' }` from the Express apps, `{ user: { id: 'bench-user', … } }` from /auth/session.
    const { user } = JSON.parse(text) as { user?: string | { id?: unknown } }
    return user === 'bench-user' || (typeof user === 'object' && user.id === 'bench-user')
  } catch {
    return false
  }
}

/** Per Acme session scenario: how far its stored session's lastSeenAt moved during the bench (0: never slid). */
async function slidSeconds(servers: Map<ProtectedScenario, ServerProcess>) {
  const slid: Partial<Record<ProtectedScenario, number>> = {}
  for (const name of ['acme-memory', 'acme-redis', 'acme-redis-cached', 'acme-postgres', 'acme-postgres-cached'] as const) {
    const session = await servers.get(name)!.ask<{ createdAt: number; lastSeenAt: number } | null>('session')
    if (!session) throw new Error(`${name}: the bench session is gone from the store after the run`)
    slid[name] = Math.round((session.lastSeenAt - session.createdAt) / 1000)
  }
  return slid
}

export default async function protectedRouteBench(): Promise<
  RoundsResult & { redis: string; postgres: string; idleExpirySlidSeconds: Partial<Record<ProtectedScenario, number>>; postgresSessionRow: SessionRowSizes }
> {
  pinLoadGenerator()
  const redis = await benchRedis()
  const postgres = await benchPostgres().catch(async (error: unknown) => {
    await redis.close()
    throw error
  })
  let servers: Map<ProtectedScenario, ServerProcess> | undefined
  try {
    servers = await startProtectedServers(protectedScenarios, redis.url, { databaseUrl: postgres.url })
    const running = servers
    const scenarios = protectedScenarios.map(
      (name): Scenario<ProtectedScenario> => ({ name, url: `http://127.0.0.1:${running.get(name)!.port}/protected`, body: userIs, refusesAnonymous: name !== 'bare' && !name.startsWith('fetch-') && name !== 'acme-fetch-session' }),
    )
    const started = Date.now()
    const result = await runRounds('protected route', scenarios, protectedRatios, () => sharedCookie(running.values()))
    // The default touch interval is 60 s: a run longer than two minutes must have slid every session.
    const idleExpirySlidSeconds = await slidSeconds(running)
    console.log(`   idle expiry slid by (s): ${JSON.stringify(idleExpirySlidSeconds)}`)
    if (Date.now() - started > 120_000 && Object.values(idleExpirySlidSeconds).some((s) => s === 0)) {
      throw new Error('an Acme session never slid its idle expiry during the run: the bench is not exercising the touch path')
    }
    // After the rounds, so the inserts do not warm or load the database the servers read.
    const postgresSessionRow = await sessionRowSizes(postgres.url)
    console.log(`   bytes per session row (PostgreSQL, total with indexes): Acme ${postgresSessionRow.acme.totalBytesPerRow}, connect-pg-simple ${postgresSessionRow.connectPgSimple.totalBytesPerRow}`)
    return { ...result, redis: redis.where, postgres: postgres.where, idleExpirySlidSeconds, postgresSessionRow }
  } finally {
    await Promise.all([...(servers?.values() ?? [])].map((s) => s.stop()))
    await Promise.all([redis.close(), postgres.close()])
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await protectedRouteBench()
