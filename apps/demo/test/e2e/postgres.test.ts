import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newDevice } from './browser.js'
import { startDemo } from './demo-process.js'
import { signInRefreshSignOut } from './flows.js'
import { mailedLink } from './outbox.js'

const accessTokenSeconds = 4
const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const database = `acme_demo_e2e_${process.pid}`
const databaseUrl = Object.assign(new URL(server), { pathname: `/${database}` }).href
let admin: pg.Client
let db: pg.Pool
let browser: Browser

describe('the demo in a browser with DATABASE_URL (sessions, keys, refresh families, limits and users in PostgreSQL)', () => {
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: server })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${database}"`)
    db = new pg.Pool({ connectionString: databaseUrl, max: 1 })
    // DROP … WITH (FORCE) below terminates whatever connection is still closing: expected, not a failure.
    db.on('error', () => {})
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await db?.end()
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await admin.end()
  })

  const count = async (schema: string, table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".${table}`)).rows[0]!.n
  /** The seeded accounts as rows: id, address, roles, verified, and whether a password hash is stored. */
  const seeded = async (schema: string) =>
    (
      await db.query<{ id: string; email: string; roles: string[]; verified: boolean; hashed: boolean }>(
        `SELECT u.id, u.email, u.roles, u.email_verified_at IS NOT NULL AS verified, p.hash IS NOT NULL AS hashed
           FROM "${schema}".users u LEFT JOIN "${schema}".password_hashes p ON p.user_id = u.id
          WHERE u.id IN ('u-alice', 'u-bob') ORDER BY u.id`,
      )
    ).rows
  const seededRows = [
    { id: 'u-alice', email: 'alice@example.com', roles: ['admin'], verified: true, hashed: true },
    { id: 'u-bob', email: 'bob@example.com', roles: ['member'], verified: true, hashed: true },
  ]

  for (const strategy of ['session', 'token'] as const) {
    it(`signs in, refreshes and signs out on the ${strategy} strategy`, async () => {
      const schema = `demo_${strategy}`
      const demo = await startDemo(`postgres-${strategy}`, {
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        AUTH_STRATEGY: strategy,
        ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds),
      })
      try {
        await signInRefreshSignOut(browser, demo, strategy, accessTokenSeconds)
        // migrate() ran at start-up and every store wrote to the schema.
        expect(await count(schema, 'signing_keys')).toBeGreaterThan(0)
        expect(await count(schema, 'rate_limits')).toBeGreaterThan(0)
        expect(await count(schema, 'sessions')).toBe(0) // signed out: the session's row is gone
        // Alice signed in from the users table, not from memory.
        expect(await seeded(schema)).toEqual(seededRows)
        if (strategy === 'token') expect(await count(schema, "refresh_families WHERE status = 'revoked'")).toBeGreaterThan(0)
      } finally {
        await demo.stop()
      }
    })
  }

  it('a sign-up through the outbox is a row; a restart seeds Alice and Bob again without duplicating them', async () => {
    const schema = 'demo_accounts'
    // One secret for both starts: the second opens the signing keys the first sealed.
    const secret = randomBytes(32).toString('base64url')
    const env = { NODE_ENV: 'development', DEMO_CLIENT: 'prebuilt', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, AUTH_SECRET: secret }
    const account = { name: 'Pat Tester', email: 'pat@example.com', password: 'pat passphrase 4 tests' }
    let demo = await startDemo('postgres-accounts', env)
    try {
      expect(await seeded(schema)).toEqual(seededRows)
      const context = await newDevice(browser)
      const api = context.request
      const { csrfToken } = (await (await api.get(`${demo.origin}/auth/csrf`)).json()) as { csrfToken: string }
      const headers = { origin: demo.origin, 'x-csrf-token': csrfToken }
      expect((await api.post(`${demo.origin}/auth/signup`, { headers, data: account })).status()).toBe(202)
      // The route answers before the work (the same 202 for a taken address): the mail says it is done.
      const token = new URL(await mailedLink(demo, account.email, '/verify-email')).searchParams.get('token')
      const unverified = await db.query(`SELECT name, roles, email_verified_at FROM "${schema}".users WHERE email = $1`, [account.email])
      expect(unverified.rows).toEqual([{ name: account.name, roles: ['member'], email_verified_at: null }])
      expect((await api.post(`${demo.origin}/auth/email/verify`, { headers, data: { token } })).status()).toBe(200)
      const verified = await db.query(`SELECT email_verified_at IS NOT NULL AS verified FROM "${schema}".users WHERE email = $1`, [account.email])
      expect(verified.rows).toEqual([{ verified: true }])
      await context.close()
    } finally {
      await demo.stop()
    }

    // A second start on the same schema: the seed writes the same two accounts, Pat stays.
    demo = await startDemo('postgres-accounts-again', env)
    try {
      expect(await seeded(schema)).toEqual(seededRows)
      expect(await count(schema, 'users')).toBe(3)
      for (const [email, password] of [['alice@example.com', 'alice-password'], [account.email, account.password]] as const) {
        const context = await newDevice(browser)
        const { csrfToken } = (await (await context.request.get(`${demo.origin}/auth/csrf`)).json()) as { csrfToken: string }
        const login = await context.request.post(`${demo.origin}/auth/login`, { headers: { origin: demo.origin, 'x-csrf-token': csrfToken }, data: { email, password } })
        expect(login.status()).toBe(200)
        await context.close()
      }
    } finally {
      await demo.stop()
    }
  })
})
