import {
  createAccessTokens,
  createKeyRing,
  createLoginLimiter,
  createRefreshFamilies,
  createSessionManager,
  MemoryKeyStore,
  type KeyStore,
  type RateLimitStore,
  type RefreshStore,
  type SessionStore,
} from '@acme/auth-core'
import {
  createPostgresRateLimitStore,
  PostgresKeyStore,
  PostgresRefreshStore,
  PostgresSessionStore,
} from '@acme/auth-core/postgres'
import { createRedisRateLimitStore, RedisKeyStore, RedisRefreshStore, RedisSessionStore, type RedisClient } from '@acme/auth-core/redis'
import { createTestClock, createTestPostgresSchema, deleteRedisPrefix, startRedisCluster } from '@acme/auth-testing'
import { Cluster, Redis } from 'ioredis'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.js'

// Every command against every shared backend the app can run on, in this process (the spawned
// binary is covered once in cli.test.ts).

const keySecret = 'cli-backends-key-encryption-secret-0123456789'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const configDir = mkdtempSync(join(tmpdir(), 'acme-cli-backends-'))
afterAll(() => rmSync(configDir, { recursive: true, force: true }))

/** The app's side of one backend: its stores, and what the CLI is given to find them. */
interface Backend {
  kind: 'redis' | 'postgres'
  env: Record<string, string | undefined>
  sessions: SessionStore
  refresh: RefreshStore
  keys: KeyStore
  rateLimits: RateLimitStore
  /** Rows of `sessions` of one user, expired or not (PostgreSQL only). */
  sessionRows?(userId: string): Promise<number>
  close(): Promise<void>
}

const noBackendEnv = { REDIS_URL: undefined, DATABASE_URL: undefined, ACME_AUTH_PREFIX: undefined, ACME_AUTH_SCHEMA: undefined }

function redisStores(client: RedisClient, prefix: string) {
  return {
    sessions: new RedisSessionStore({ client, prefix }),
    refresh: new RedisRefreshStore({ client, prefix }),
    keys: new RedisKeyStore({ client, prefix }),
    rateLimits: createRedisRateLimitStore({ client, prefix: `${prefix}rl:` }),
  }
}

const backends: [string, () => Promise<Backend>][] = [
  [
    'Redis',
    async () => {
      const client = new Redis(redisUrl, { lazyConnect: true })
      await client.connect()
      const prefix = `test:cli-backends:${process.pid}:`
      return {
        kind: 'redis',
        env: { ...noBackendEnv, REDIS_URL: redisUrl, ACME_AUTH_PREFIX: prefix },
        ...redisStores(client, prefix),
        async close() {
          await deleteRedisPrefix(client, prefix)
          client.disconnect()
        },
      }
    },
  ],
  [
    'Redis Cluster',
    async () => {
      const cluster = await startRedisCluster()
      const client = new Cluster([...cluster.nodes], { lazyConnect: true })
      await client.connect()
      const [first, ...rest] = cluster.nodes
      const config = join(configDir, 'cluster.json')
      writeFileSync(config, JSON.stringify({ redis: { cluster: [`${first!.host}:${first!.port}`, ...rest] }, prefix: 'cluster-app:' }))
      return {
        kind: 'redis',
        env: { ...noBackendEnv, ACME_AUTH_CONFIG: config },
        ...redisStores(client, 'cluster-app:'),
        async close() {
          client.disconnect()
          await cluster.close()
        },
      }
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestPostgresSchema()
      const { pool, schema } = db
      return {
        kind: 'postgres',
        env: { ...noBackendEnv, DATABASE_URL: db.connectionString, ACME_AUTH_SCHEMA: schema },
        sessions: new PostgresSessionStore({ pool, schema }),
        refresh: new PostgresRefreshStore({ pool, schema }),
        keys: new PostgresKeyStore({ pool, schema }),
        rateLimits: createPostgresRateLimitStore({ pool, schema }),
        async sessionRows(userId) {
          const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".sessions WHERE user_id = $1`, [userId])
          return rows[0]!.n
        },
        close: () => db.close(),
      }
    },
  ],
]

/** The command's JSON output; a failure names the exit code and what the command wrote to stderr. */
function parseJson(out: string[], err: string[], code: number): unknown {
  try {
    return JSON.parse(out.join('\n')) as unknown
  } catch {
    throw new Error(`no JSON on stdout (exit ${code}); stderr: ${err.join('\n') || '(empty)'}`)
  }
}

describe.each(backends)('acme-auth on %s', (_name, open) => {
  let backend: Backend
  beforeAll(async () => {
    backend = await open()
  }, 60_000)
  afterAll(async () => {
    await backend?.close()
  })

  /** Runs the CLI in this process with the backend's settings (plus `env`; `undefined` removes). */
  async function cli(args: string[], env: Record<string, string | undefined> = {}) {
    const out: string[] = []
    const err: string[] = []
    const merged = Object.fromEntries(
      Object.entries({ ACME_AUTH_KEY_SECRET: keySecret, ...backend.env, ...env }).filter(([, value]) => value !== undefined),
    ) as NodeJS.ProcessEnv
    const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env: merged })
    return { code, stdout: out.join('\n'), stderr: err.join('\n'), json: () => parseJson(out, err, code) }
  }

  it('sessions list, revoke --id and revoke-all --user act on the app’s sessions', async () => {
    const sessions = createSessionManager({ store: backend.sessions })
    const first = await sessions.create('u-erin', { userAgent: 'Firefox' })
    const second = await sessions.create('u-erin')
    const other = await sessions.create('u-frank')

    const listed = await cli(['sessions', 'list', '--user', 'u-erin', '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    expect((listed.json() as { id: string }[]).map((s) => s.id).sort()).toEqual([first.session.id, second.session.id].sort())
    expect((await cli(['sessions', 'list', '--user', 'u-erin'])).stdout).toMatch(/Firefox/)

    expect((await cli(['sessions', 'revoke', '--id', first.session.id, '--json'])).json()).toEqual({ revoked: true })
    expect(await sessions.validate(first.token)).toBeNull()
    const again = await cli(['sessions', 'revoke', '--id', first.session.id, '--json'])
    expect(again.code).toBe(3)
    expect(again.json()).toEqual({ revoked: false })

    const all = await cli(['sessions', 'revoke-all', '--user', 'u-erin', '--json'])
    expect(all.code).toBe(0)
    expect(all.json()).toEqual({ revoked: 1 })
    expect(await sessions.validate(second.token)).toBeNull()
    expect(await sessions.validate(other.token)).not.toBeNull()
    expect((await cli(['sessions', 'list', '--user', 'u-erin', '--json'])).json()).toEqual([])
  })

  it('refresh revoke --user: every refresh family of the user stops rotating, others keep working', async () => {
    const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: keySecret })
    await keyRing.ready()
    const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'https://app.test' })
    const families = createRefreshFamilies({ store: backend.refresh, accessTokens })
    const phone = await families.issue({ sub: 'u-gina', sid: 's-phone', roles: ['member'] })
    const laptop = await families.issue({ sub: 'u-gina', sid: 's-laptop', roles: ['member'] })
    const other = await families.issue({ sub: 'u-hank', sid: 's-hank', roles: ['member'] })

    const result = await cli(['refresh', 'revoke', '--user', 'u-gina', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.json()).toEqual({ revoked: 2 })
    await expect(families.rotate(phone.refreshToken)).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED' })
    await expect(families.rotate(laptop.refreshToken)).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED' })
    expect((await families.rotate(other.refreshToken)).familyId).toBe(other.familyId)
    expect((await cli(['refresh', 'revoke', '--user', 'u-gina'])).stdout).toBe('revoked 0 refresh families of u-gina')
  })

  it('keys rotate publishes a new key the app serves; keys list shows it; --compromised leaves only the new key', async () => {
    const keyRing = createKeyRing({ store: backend.keys, secret: keySecret, rotation: { refreshSeconds: 0 } })
    await keyRing.ready()
    const kids = async () => (await keyRing.jwks()).keys.map((key) => key.kid)
    const before = await kids()

    const rotated = await cli(['keys', 'rotate', '--json'])
    expect(rotated.code, rotated.stderr).toBe(0)
    const next = rotated.json() as { kid: string; status: string }
    expect(next.status).toBe('next')
    expect(before).not.toContain(next.kid)
    expect(await kids()).toContain(next.kid)
    const listed = (await cli(['keys', 'list', '--json'])).json() as { kid: string }[]
    expect(listed.map((key) => key.kid)).toEqual(expect.arrayContaining([...before, next.kid]))

    const incident = (await cli(['keys', 'rotate', '--compromised', '--json'])).json() as { kid: string; status: string }
    expect(incident.status).toBe('active')
    expect(await kids()).toEqual([incident.kid])
    expect(((await cli(['keys', 'list', '--json'])).json() as { kid: string }[]).map((key) => key.kid)).toEqual([incident.kid])
  })

  it('users unlock --user <email>: the locked account can sign in again from a new IP', async () => {
    const limiter = createLoginLimiter({ store: backend.rateLimits, account: { maxAttempts: 2, knownIpSeconds: 0 } })
    const account = 'Ivy@Example.com'
    for (const ip of ['198.51.100.1', '198.51.100.2']) expect(await limiter.attempt({ account, ip })).toEqual({ allowed: true })
    expect(await limiter.attempt({ account, ip: '198.51.100.3' })).toMatchObject({ allowed: false, limit: 'account', reason: 'locked' })

    const unlocked = await cli(['users', 'unlock', '--user', ' ivy@example.com', '--json'])
    expect(unlocked.code, unlocked.stderr).toBe(0)
    expect(unlocked.json()).toEqual({ unlocked: true })
    expect(await limiter.check({ account, ip: '198.51.100.4' })).toEqual({ allowed: true })
    expect((await cli(['users', 'unlock', '--user', 'ivy@example.com'])).stdout).not.toMatch(/ivy/i) // no email echoed
    expect((await cli(['users', 'unlock'])).code).toBe(2)
  })

  it('migrate and prune: core’s migrate() and prune() on PostgreSQL; on Redis nothing to do, exit 0', async () => {
    const migrated = await cli(['migrate', '--json'])
    const pruned = await cli(['prune'])
    expect(migrated.code, migrated.stderr).toBe(0)
    expect(pruned.code, pruned.stderr).toBe(0)
    if (backend.kind === 'redis') {
      expect(migrated.json()).toEqual({ applied: [], version: null })
      expect(pruned.stdout).toBe('Redis keys expire by TTL: nothing to prune')
      expect((await cli(['prune', '--json'])).json()).toEqual({ ran: false, deleted: null })
      return
    }
    expect(migrated.json()).toMatchObject({ applied: [] })
    // A session that expired (created 40 days ago) stays as a row until prune deletes it.
    const past = createSessionManager({ store: backend.sessions, clock: createTestClock(Date.now() - 40 * 86_400_000) })
    await past.create('u-jack')
    const live = await createSessionManager({ store: backend.sessions }).create('u-jack')
    expect(await backend.sessionRows!('u-jack')).toBe(2)
    const result = await cli(['prune', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.json()).toMatchObject({ ran: true, deleted: { sessions: 1 } })
    expect(await backend.sessionRows!('u-jack')).toBe(1)
    expect(await createSessionManager({ store: backend.sessions }).validate(live.token)).not.toBeNull()
  })
})

describe('acme-auth on PostgreSQL: the schema', () => {
  it('refuses a schema that was never migrated (exit 1, says to migrate); migrate creates it, a second migrate applies nothing', async () => {
    const db = await createTestPostgresSchema({ migrate: false })
    try {
      const config = join(configDir, 'postgres.json')
      writeFileSync(config, JSON.stringify({ postgres: { url: db.connectionString, schema: db.schema } }))
      const run = async (args: string[]) => {
        const out: string[] = []
        const err: string[] = []
        const env = { ACME_AUTH_KEY_SECRET: keySecret }
        const code = await runCli([...args, '--config', config], { out: (l) => out.push(l), err: (l) => err.push(l), env })
        return { code, stdout: out.join('\n'), stderr: err.join('\n') }
      }
      const before = await run(['sessions', 'list', '--user', 'u-kim'])
      expect(before.code).toBe(1)
      expect(before.stderr).toMatch(new RegExp(`schema "${db.schema}" is not migrated: run \`acme-auth migrate\``))

      const first = await run(['migrate', '--json'])
      expect(first.code, first.stderr).toBe(0)
      const applied = JSON.parse(first.stdout) as { applied: number[]; version: number }
      expect(applied.applied.length).toBeGreaterThan(0)
      expect(applied.version).toBe(Math.max(...applied.applied))
      expect((await run(['migrate'])).stdout).toBe(`schema ${db.schema} is up to date (version ${applied.version})`)
      expect(await run(['sessions', 'list', '--user', 'u-kim', '--json'])).toMatchObject({ code: 0, stdout: '[]' })
      // keys list stays read-only here too: no ring in the schema, exit 3, and none created.
      expect(await run(['keys', 'list'])).toMatchObject({ code: 3, stdout: `no key ring under schema ${db.schema}` })
      const ring = await db.pool.query<{ n: number }>(`SELECT (SELECT count(*) FROM "${db.schema}".key_ring)::int + (SELECT count(*) FROM "${db.schema}".signing_keys)::int AS n`)
      expect(ring.rows[0]!.n).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('an unreachable database exits 1 without a stack trace', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['sessions', 'list', '--user', 'x', '--json'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' },
    })
    expect(code).toBe(1)
    // The driver's reason rides along, so the operator sees why (here: nothing listens on port 1).
    const answer = JSON.parse(err.join('\n')) as { error: string; cause: string }
    expect(answer.error).toBe('the store is unavailable')
    expect(answer.cause).toMatch(/ECONNREFUSED/)
  })
})
