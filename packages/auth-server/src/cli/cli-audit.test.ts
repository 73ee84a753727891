import { createAccessTokens, createKeyRing, createRefreshFamilies, createSessionManager, type KeyStore, type RefreshStore, type SessionStore } from '@acme/auth-core'
import { PostgresKeyStore, PostgresRefreshStore, PostgresSessionStore } from '@acme/auth-core/postgres'
import { RedisKeyStore, RedisRefreshStore, RedisSessionStore } from '@acme/auth-core/redis'
import { createTestPostgresSchema, deleteRedisPrefix } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.js'

// The CLI's changes leave the app's audit events, as redacted pino lines marked "actor":"cli", on
// stderr or in --audit-log, against the real stores.

const keySecret = 'cli-audit-key-encryption-secret-0123456789'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const dir = mkdtempSync(join(tmpdir(), 'acme-cli-audit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Backend {
  env: Record<string, string>
  sessions: SessionStore
  refresh: RefreshStore
  keys: KeyStore
  close(): Promise<void>
}

const backends: [string, () => Promise<Backend>][] = [
  [
    'Redis',
    async () => {
      const client = new Redis(redisUrl, { lazyConnect: true })
      await client.connect()
      const prefix = `test:cli-audit:${process.pid}:`
      return {
        env: { REDIS_URL: redisUrl, ACME_AUTH_PREFIX: prefix },
        sessions: new RedisSessionStore({ client, prefix }),
        refresh: new RedisRefreshStore({ client, prefix }),
        keys: new RedisKeyStore({ client, prefix }),
        async close() {
          await deleteRedisPrefix(client, prefix)
          client.disconnect()
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
        env: { DATABASE_URL: db.connectionString, ACME_AUTH_SCHEMA: schema },
        sessions: new PostgresSessionStore({ pool, schema }),
        refresh: new PostgresRefreshStore({ pool, schema }),
        keys: new PostgresKeyStore({ pool, schema }),
        close: () => db.close(),
      }
    },
  ],
]

type Line = Record<string, unknown> & { msg: string; data?: Record<string, unknown> }
const lines = (text: string): Line[] => text.split('\n').filter((l) => l.startsWith('{"')).map((l) => JSON.parse(l) as Line)

describe.each(backends)('acme-auth audit on %s', (name, open) => {
  let backend: Backend
  beforeAll(async () => {
    backend = await open()
  }, 60_000)
  afterAll(async () => {
    await backend?.close()
  })

  async function cli(args: string[], env: Record<string, string> = {}) {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { ACME_AUTH_KEY_SECRET: keySecret, ...backend.env, ...env } })
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  }

  it('sessions revoke and revoke-all: SESSION_REVOKED and SESSIONS_REVOKED_ALL as the app records them, redacted, actor cli', async () => {
    const user = `Dana.${name}@Example.com` // a user id that is an email must not reach the log
    const sessions = createSessionManager({ store: backend.sessions })
    const laptop = await sessions.create(user, { ip: '203.0.113.7', userAgent: 'Firefox' })
    const phone = await sessions.create(user, { ip: '203.0.113.8' })
    const file = join(dir, `${name}-sessions.log`)

    const one = await cli(['sessions', 'revoke', '--id', laptop.session.id, '--audit-log', file])
    expect(one.code, one.stderr).toBe(0)
    expect(one.stderr).toBe('') // the events went to the file
    expect(await sessions.validate(laptop.token)).toBeNull()
    const [revoked, ...rest] = lines(readFileSync(file, 'utf8'))
    expect(rest).toEqual([])
    expect(revoked).toMatchObject({ level: 30, msg: 'SESSION_REVOKED', type: 'SESSION_REVOKED', outcome: 'success', reason: 'admin', actor: 'cli', pid: process.pid, session: laptop.session.id.slice(0, 8) })
    expect(typeof revoked!.time).toBe('number')
    expect(statSync(file).mode & 0o777).toBe(0o600)

    // Without --audit-log: on stderr, one line per event; the file is appended to, never truncated.
    const all = await cli(['sessions', 'revoke-all', '--user', user])
    expect(all.code, all.stderr).toBe(0)
    expect(await sessions.validate(phone.token)).toBeNull()
    const [ended] = lines(all.stderr)
    expect(ended).toMatchObject({ msg: 'SESSIONS_REVOKED_ALL', actor: 'cli', reason: 'admin', userId: `D…@Example.com`, data: { count: 1 } })
    await cli(['sessions', 'revoke-all', '--user', user, '--audit-log', file])
    expect(lines(readFileSync(file, 'utf8')).map((l) => l.msg)).toEqual(['SESSION_REVOKED', 'SESSIONS_REVOKED_ALL'])

    const everything = readFileSync(file, 'utf8') + all.stderr
    for (const secret of [laptop.session.id, phone.session.id, laptop.token, '203.0.113.7', '203.0.113.8', user, user.toLowerCase()]) {
      expect(everything).not.toContain(secret)
    }
  })

  it('refresh revoke: one REFRESH_FAMILY_REVOKED per family (reason user), with 8-character fingerprints', async () => {
    const keyRing = createKeyRing({ store: backend.keys, secret: keySecret })
    await keyRing.ready()
    const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'https://app.test' })
    const families = createRefreshFamilies({ store: backend.refresh, accessTokens })
    await families.issue({ sub: 'u-hal', sid: 's-phone-0123456789', roles: ['member'] })
    await families.issue({ sub: 'u-hal', sid: 's-laptop-0123456789', roles: ['member'] })
    const result = await cli(['refresh', 'revoke', '--user', 'u-hal', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ revoked: 2 }) // stdout stays the command's answer
    const events = lines(result.stderr)
    expect(events.map((e) => [e.msg, e.reason, e.userId, e.actor])).toEqual([
      ['REFRESH_FAMILY_REVOKED', 'user', 'u-hal', 'cli'],
      ['REFRESH_FAMILY_REVOKED', 'user', 'u-hal', 'cli'],
    ])
    expect(events.map((e) => e.session).sort()).toEqual(['s-laptop', 's-phone-'])
    for (const event of events) {
      expect(event.family).toMatch(/^.{8}$/)
      expect(event).not.toHaveProperty('familyId')
      expect(event).not.toHaveProperty('sessionId')
    }
  })

  it('keys rotate: KEY_ROTATED with trigger cli, and KEY_REMOVED for each key --compromised drops', async () => {
    const keyRing = createKeyRing({ store: backend.keys, secret: keySecret })
    await keyRing.ready()
    const [before] = (await keyRing.list()).filter((k) => k.status === 'active')
    const scheduled = await cli(['keys', 'rotate', '--json'])
    expect(scheduled.code, scheduled.stderr).toBe(0)
    const next = JSON.parse(scheduled.stdout) as { kid: string }
    const rotated = lines(scheduled.stderr)
    expect(rotated).toHaveLength(1)
    expect(rotated[0]).toMatchObject({ msg: 'KEY_ROTATED', actor: 'cli', data: { kid: next.kid, previousKid: before!.kid, trigger: 'cli', compromised: false } })

    const emergency = await cli(['keys', 'rotate', '--compromised', '--json'])
    expect(emergency.code, emergency.stderr).toBe(0)
    const fresh = JSON.parse(emergency.stdout) as { kid: string }
    const events = lines(emergency.stderr)
    expect(events[0]).toMatchObject({ msg: 'KEY_ROTATED', data: { kid: fresh.kid, trigger: 'cli', compromised: true } })
    expect(events.slice(1).map((e) => [e.msg, e.reason, e.data?.kid]).sort()).toEqual(
      [['KEY_REMOVED', 'compromised', before!.kid], ['KEY_REMOVED', 'compromised', next.kid]].sort(),
    )
  })

  it('read-only commands record nothing; an audit log that cannot be opened refuses the change (exit 2)', async () => {
    const sessions = createSessionManager({ store: backend.sessions })
    const { token, session } = await sessions.create('u-ivy')
    const listed = await cli(['sessions', 'list', '--user', 'u-ivy'])
    expect(listed.code).toBe(0)
    expect(lines(listed.stderr)).toEqual([])
    expect(lines((await cli(['keys', 'list'])).stderr)).toEqual([])

    const refused = await cli(['sessions', 'revoke', '--id', session.id], { ACME_AUTH_AUDIT_LOG: join(dir, 'missing', 'audit.log') })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/cannot open the audit log .*audit\.log: ENOENT/)
    expect(await sessions.validate(token)).not.toBeNull() // nothing changed without its audit trail
  })
})
