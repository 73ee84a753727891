import { createKeyRing, createSessionManager } from '@acme/auth-core'
import { RedisKeyStore, RedisSessionStore } from '@acme/auth-core/redis'
import express from 'express'
import request from 'supertest'
import { deleteRedisPrefix } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'

const run = promisify(execFile)
const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `test:cli:${process.pid}:`
let client: Redis

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', main, ...args], {
      env: { ...process.env, REDIS_URL: redisUrl, ACME_AUTH_PREFIX: prefix, ...env },
      timeout: 20_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

beforeAll(async () => {
  client = new Redis(redisUrl, { lazyConnect: true })
  await client.connect()
})
afterAll(async () => {
  await deleteRedisPrefix(client, prefix)
  client.disconnect()
})

describe('acme-auth CLI (real Redis)', () => {
  it('sessions revoke-all: the user’s cookie is dead on the next request', async () => {
    const store = new RedisSessionStore({ client, prefix })
    const { app } = await createTestApp({ store, sessions: createSessionManager({ store }) })
    const alice = browser(app)
    const bob = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    await bob.login('bob@example.com', 'bob-password')
    expect((await alice.get('/api/me')).status).toBe(200)

    const listed = await cli(['sessions', 'list', '--user', 'u-alice', '--json'])
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
    expect((await cli(['sessions', 'revoke', '--id', session.id])).code).toBe(0)
    expect(await sessions.validate(token)).toBeNull()
    expect((await cli(['sessions', 'revoke', '--id', session.id])).code).toBe(3)
  })

  it('keys rotate: a new kid appears in the JWKS the app serves; keys list shows it', async () => {
    const keySecret = 'cli-test-key-encryption-secret-0123456789'
    // The app's ring re-reads the shared store on every call (refreshSeconds: 0), as a test stand-in
    // for the 30 s default.
    const keyRing = createKeyRing({ store: new RedisKeyStore({ client, prefix }), secret: keySecret, rotation: { refreshSeconds: 0 } })
    await keyRing.ready()
    const app = express()
    app.get('/.well-known/jwks.json', async (_req, res) => {
      res.json(await keyRing.jwks())
    })
    const kids = async () => ((await request(app).get('/.well-known/jwks.json')).body as { keys: { kid: string }[] }).keys.map((k) => k.kid)
    const before = await kids()
    const rotated = await cli(['keys', 'rotate', '--json'], { ACME_AUTH_KEY_SECRET: keySecret })
    expect(rotated.code).toBe(0)
    const { kid } = JSON.parse(rotated.stdout) as { kid: string }
    expect(before).not.toContain(kid)
    expect(await kids()).toContain(kid)
    const listed = JSON.parse((await cli(['keys', 'list', '--json'], { ACME_AUTH_KEY_SECRET: keySecret })).stdout) as { kid: string; status: string }[]
    expect(listed.map((k) => k.kid)).toContain(kid)
    // Without the secret, or with a wrong one, the command refuses clearly.
    expect((await cli(['keys', 'list'])).code).toBe(2)
    const wrong = await cli(['keys', 'list'], { ACME_AUTH_KEY_SECRET: 'a-different-secret-of-sufficient-length-xx' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/key-encryption secret/)
  })

  it('usage errors exit 2 with help; an unreachable store exits 1 without a stack trace', async () => {
    const missing = await cli(['sessions', 'revoke-all'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/needs --user/)
    expect((await cli(['frobnicate'])).code).toBe(2)
    expect((await cli(['--help'])).stdout).toMatch(/Usage:/)
    const down = await cli(['sessions', 'list', '--user', 'x'], { REDIS_URL: 'redis://127.0.0.1:1' })
    expect(down.code).toBe(1)
    expect(down.stderr).not.toMatch(/\n\s+at /)
  })
})
