import { createKeyRing, createSessionManager } from '@acme/auth-core'
import { RedisKeyStore, RedisSessionStore } from '@acme/auth-core/redis'
import express from 'express'
import request from 'supertest'
import { deleteRedisPrefix, startRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'
import { runCli } from './cli.js'

const run = promisify(execFile)
const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `test:cli:${process.pid}:`
let client: Redis

/** Runs the CLI; an `undefined` in `env` removes that variable. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, REDIS_URL: redisUrl, ACME_AUTH_PREFIX: prefix, DATABASE_URL: undefined, ...env }).filter(([, value]) => value !== undefined),
  )
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', main, ...args], {
      env: merged,
      timeout: 20_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** Runs the CLI in this process (faster than a child; `cli()` covers the real binary). */
async function cliHere(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const merged = Object.fromEntries(
    Object.entries({ REDIS_URL: redisUrl, ACME_AUTH_PREFIX: prefix, ...env }).filter(([, value]) => value !== undefined),
  )
  const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env: merged })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

const configDir = mkdtempSync(join(tmpdir(), 'acme-cli-'))
/** Writes a config file and returns its path. */
function configFile(name: string, content: unknown): string {
  const path = join(configDir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}
const keySecret = 'cli-test-key-encryption-secret-0123456789'

beforeAll(async () => {
  client = new Redis(redisUrl, { lazyConnect: true })
  await client.connect()
})
afterAll(async () => {
  await deleteRedisPrefix(client, prefix)
  client.disconnect()
  rmSync(configDir, { recursive: true, force: true })
})

describe('acme-auth CLI (real Redis)', () => {
  // The one test that spawns the binary (node --import tsx costs seconds); the others run in-process.
  it('sessions revoke-all (the real binary): the user’s cookie is dead on the next request', async () => {
    const store = new RedisSessionStore({ client, prefix })
    const { app } = await createTestApp({ store, sessions: createSessionManager({ store }) })
    const alice = browser(app)
    const bob = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    await bob.login('bob@example.com', 'bob-password')
    expect((await alice.get('/api/me')).status).toBe(200)

    const listed = await cliHere(['sessions', 'list', '--user', 'u-alice', '--json'])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toHaveLength(1)

    const result = await cli(['sessions', 'revoke-all', '--user', 'u-alice', '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ revoked: 1 })
    expect((await alice.get('/api/me')).status).toBe(401)
    expect((await bob.get('/api/me')).status).toBe(200)
  })

  it('sessions revoke --id: ends one session; an unknown id exits 3', async () => {
    const store = new RedisSessionStore({ client, prefix })
    const sessions = createSessionManager({ store })
    const { token, session } = await sessions.create('u-carol')
    expect((await cliHere(['sessions', 'revoke', '--id', session.id])).code).toBe(0)
    expect(await sessions.validate(token)).toBeNull()
    expect((await cliHere(['sessions', 'revoke', '--id', session.id])).code).toBe(3)
  })

  it('keys rotate: a new kid appears in the JWKS the app serves; keys list shows it', async () => {
    // The app's ring re-reads the shared store on every call (refreshSeconds: 0), as a test stand-in
    // for the 15 s default.
    const keyRing = createKeyRing({ store: new RedisKeyStore({ client, prefix }), secret: keySecret, rotation: { refreshSeconds: 0 } })
    await keyRing.ready()
    const app = express()
    app.get('/.well-known/jwks.json', async (_req, res) => {
      res.json(await keyRing.jwks())
    })
    const kids = async () => ((await request(app).get('/.well-known/jwks.json')).body as { keys: { kid: string }[] }).keys.map((k) => k.kid)
    const before = await kids()
    const rotated = await cliHere(['keys', 'rotate', '--json'], { ACME_AUTH_KEY_SECRET: keySecret })
    expect(rotated.code).toBe(0)
    const { kid } = JSON.parse(rotated.stdout) as { kid: string }
    expect(before).not.toContain(kid)
    expect(await kids()).toContain(kid)
    const listed = JSON.parse((await cliHere(['keys', 'list', '--json'], { ACME_AUTH_KEY_SECRET: keySecret })).stdout) as { kid: string; status: string }[]
    expect(listed.map((k) => k.kid)).toContain(kid)
    // Without the secret, or with a wrong one, the command refuses clearly.
    expect((await cliHere(['keys', 'list'])).code).toBe(2)
    const wrong = await cliHere(['keys', 'list'], { ACME_AUTH_KEY_SECRET: 'a-different-secret-of-sufficient-length-xx' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/key-encryption secret/)
  })

  it('keys list is read-only: on an empty prefix it writes nothing to Redis and says there is no key ring', async () => {
    const redis = await startRedisServer({ persistent: false })
    const admin = new Redis(redis.url, { lazyConnect: true })
    try {
      await admin.connect()
      expect(await admin.dbsize()).toBe(0)
      const listed = await cliHere(['keys', 'list'], { REDIS_URL: redis.url, ACME_AUTH_PREFIX: 'mistyped:', ACME_AUTH_KEY_SECRET: keySecret })
      expect(listed.code).toBe(3)
      expect(listed.stdout).toMatch(/no key ring under prefix mistyped:/)
      expect(await admin.dbsize()).toBe(0) // no ring, no lock, nothing
      const json = await cliHere(['keys', 'list', '--json'], { REDIS_URL: redis.url, ACME_AUTH_PREFIX: 'mistyped:', ACME_AUTH_KEY_SECRET: keySecret })
      expect(JSON.parse(json.stdout)).toEqual({ keys: null })
      expect(await admin.dbsize()).toBe(0)
    } finally {
      admin.disconnect()
      await redis.close()
    }
  })

  it('keys rotate takes the algorithm and timings from the config file (--config or ACME_AUTH_CONFIG)', async () => {
    const own = `${prefix}alg:`
    const env = { ACME_AUTH_PREFIX: own, ACME_AUTH_KEY_SECRET: keySecret }
    const es256 = configFile('es256.json', { redis: redisUrl, keys: { algorithm: 'ES256', rotation: { jwksMaxAgeSeconds: 60, promoteDelaySeconds: 120 } } })
    const rotated = await cliHere(['keys', 'rotate', '--json', '--config', es256], env)
    expect(rotated.code, rotated.stderr).toBe(0)
    const next = JSON.parse(rotated.stdout) as { kid: string; alg: string; status: string; createdAt: number; activatesAt: number }
    expect(next).toMatchObject({ alg: 'ES256', status: 'next' })
    expect(next.activatesAt - next.createdAt).toBe(120_000)

    const viaEnv = await cliHere(['keys', 'rotate', '--compromised', '--json'], { ...env, ACME_AUTH_CONFIG: es256 })
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ alg: 'ES256', status: 'active' })
    // Without "keys.algorithm", a rotation keeps the algorithm of the key that signs now.
    const bare = configFile('bare.json', { redis: { url: redisUrl } })
    const kept = await cliHere(['keys', 'rotate', '--json', '--config', bare], env)
    expect(JSON.parse(kept.stdout)).toMatchObject({ alg: 'ES256', status: 'next' })
    expect(kept.stderr).toMatch(/default rotation timings/)
    const ring = await new RedisKeyStore({ client, prefix: own }).load()
    expect(ring.keys.map((key) => key.alg)).toEqual(['ES256', 'ES256'])
  })

  it('a bad config file exits 2 with a message naming the setting', async () => {
    const env = { REDIS_URL: undefined, ACME_AUTH_KEY_SECRET: keySecret }
    const cases: [unknown, RegExp][] = [
      [{ redis: redisUrl, keys: { algorithm: 'HS256' } }, /"keys\.algorithm" must be one of EdDSA, ES256, RS256/],
      [{ redis: redisUrl, keys: { rotation: { promoteDelaySeconds: 10 } } }, /keys\.rotation\.promoteDelaySeconds must be between 300/],
      [{ redis: redisUrl, prefx: 'typo:' }, /"prefx"/],
      [{ redis: { cluster: ['127.0.0.1'] } }, /"redis\.cluster\.0"|"redis"/],
      [{ redis: 'http://127.0.0.1:6379' }, /"redis" must be a redis:\/\/ or rediss:\/\/ URL/],
      ['{ not json', /cannot read config file/],
      [{ postgres: 'mysql://127.0.0.1/app' }, /"postgres" must be a postgres:\/\//],
      [{ postgres: { url: 'postgres://127.0.0.1/app', schema: 'Auth-Schema' } }, /"postgres\.schema" must be a lower-case SQL identifier|"postgres"/],
      [{ postgres: { schema: 'acme_auth' } }, /"postgres" in the config file needs a "url"/],
      [{ redis: redisUrl, postgres: 'postgres://127.0.0.1/app' }, /both "redis" in the config file and "postgres" in the config file are set/],
    ]
    for (const [content, message] of cases) {
      const result = await cliHere(['keys', 'rotate', '--config', configFile('bad.json', content)], env)
      expect(result.code, JSON.stringify(content)).toBe(2)
      expect(result.stderr, JSON.stringify(content)).toMatch(message)
    }
    expect((await cliHere(['keys', 'list'], { REDIS_URL: undefined, ACME_AUTH_CONFIG: join(configDir, 'missing.json') })).stderr).toMatch(/cannot read config file/)
    // The environment counts too: REDIS_URL beside DATABASE_URL is refused rather than guessed.
    const both = await cliHere(['sessions', 'list', '--user', 'x'], { DATABASE_URL: 'postgres://127.0.0.1/app' })
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/both REDIS_URL and DATABASE_URL are set/)
    expect((await cliHere(['sessions', 'list', '--user', 'x'], { REDIS_URL: undefined })).stderr).toMatch(/no store configured/)
  })

  it('usage errors exit 2 with help; an unreachable store exits 1 without a stack trace', async () => {
    const missing = await cliHere(['sessions', 'revoke-all'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/needs --user/)
    expect((await cliHere(['frobnicate'])).code).toBe(2)
    expect((await cliHere(['--help'])).stdout).toMatch(/Usage:/)
    const down = await cliHere(['sessions', 'list', '--user', 'x'], { REDIS_URL: 'redis://127.0.0.1:1' })
    expect(down.code).toBe(1)
    expect(down.stderr).not.toMatch(/\n\s+at /)
    // The socket's reason, as for PostgreSQL, not ioredis's "Connection is closed."
    expect(down.stderr).toMatch(/^acme-auth: the store is unavailable \(connect ECONNREFUSED 127\.0\.0\.1:1\)/)
  })
})
