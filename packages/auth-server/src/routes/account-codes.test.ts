import { PostgresOneTimeTokenStore } from '@acme/auth-core/postgres'
import { createTestClock, createTestPostgresSchema } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, settle } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'
import type { OutboxMessage } from '@acme/auth-core'

const newPassword = 'a long new passphrase'

/** The 6-digit code of a mail (on a line of its own). */
const codeOf = (message: OutboxMessage) => {
  const found = /^(\d{6})$/m.exec(message.text)
  if (!found) throw new Error('no code in the message')
  return found[1]!
}

/** Another code than `code` (a wrong guess). */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

async function codesApp(options: { perAddress?: number; perIp?: number; store?: PostgresOneTimeTokenStore } = {}) {
  const clock = createTestClock(new Date())
  const kit = await createAccountsApp({
    clock,
    // The route limits off (their own tests), so that only the code attempts count here.
    limits: { clock, accounts: false },
    accounts: { tokens: { ...(options.store ? { store: options.store } : {}), clock, format: 'code', codeAttempts: { perAddress: options.perAddress ?? 5, perIp: options.perIp ?? 30 } } },
  })
  const client = browser(kit.app)
  await client.fetchCsrf()
  return { ...kit, clock, client }
}

async function signUp(kit: Awaited<ReturnType<typeof codesApp>>, email: string) {
  expect((await kit.client.post('/auth/signup', { email, password: newPassword, name: 'Ada' })).status).toBe(202)
  return codeOf(await kit.mailTo(email))
}

describe("accounts.tokens.format: 'code' (6-digit codes instead of links)", () => {
  it('mails a code and no link; the right code verifies and signs in, once', async () => {
    const kit = await codesApp()
    const code = await signUp(kit, 'ada@example.com')
    const mail = await kit.mailTo('ada@example.com')
    expect(mail.subject).toMatch(/code/i)
    expect(mail.links).toEqual([])

    const verified = await kit.client.post('/auth/email/verify', { email: 'Ada@Example.com', code })
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({ user: { email: 'ada@example.com' } })
    expect(kit.client.cookie('__Host-sid')).toBeDefined()
    expect([...kit.users.users.values()].find((user) => user.email === 'ada@example.com')?.emailVerified).toBe(true)

    const again = browser(kit.app)
    await again.fetchCsrf()
    const replay = await again.post('/auth/email/verify', { email: 'ada@example.com', code })
    expect(replay.status).toBe(400)
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/)
    // A link's shape is not accepted with codes on.
    expect((await again.post('/auth/email/verify', { token: 'x'.repeat(22) })).status).toBe(400)
  })

  it('stores only a keyed hash: neither the code nor its plain SHA-256 is in the store', async () => {
    const kit = await codesApp()
    const code = await signUp(kit, 'ada@example.com')
    const { createHash } = await import('node:crypto')
    const records = JSON.stringify(kit.oneTimeTokens.snapshot())
    expect(records).not.toContain(code)
    expect(records).not.toContain(createHash('sha256').update(code).digest('hex'))
  })

  it('wrong codes: 400, and the one that reaches the limit answers 429 with Retry-After and burns the code', async () => {
    const kit = await codesApp({ perAddress: 3 })
    const code = await signUp(kit, 'ada@example.com')
    const first = await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: wrong(code) })
    expect(first.status).toBe(400)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: wrong(wrong(code)) })).status).toBe(400)
    const third = await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: '000000' === code ? '999999' : '000000' })
    expect(third.status).toBe(429)
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0)
    // Burned: the right code no longer works, even after the window.
    kit.clock.advance(16 * 60_000)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code })).status).toBe(400)
    // A new code (resend) works.
    expect((await kit.client.post('/auth/email/verification', { email: 'ada@example.com' })).status).toBe(202)
    await settle()
    const fresh = codeOf(kit.outbox.messages().find((message) => message.to === 'ada@example.com')!)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: fresh })).status).toBe(200)
  })

  it('a code works for its address only', async () => {
    const kit = await codesApp()
    const code = await signUp(kit, 'ada@example.com')
    await signUp(kit, 'eve@example.com')
    expect((await kit.client.post('/auth/email/verify', { email: 'eve@example.com', code })).status).toBe(400)
    expect((await kit.client.post('/auth/email/verify', { email: 'nobody@example.com', code })).status).toBe(400)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code })).status).toBe(200)
  })

  it('per IP: attempts across many addresses are 429 past the limit, without checking the code', async () => {
    const kit = await codesApp({ perIp: 3 })
    const code = await signUp(kit, 'ada@example.com')
    const statuses = []
    for (const name of ['a', 'b', 'c']) statuses.push((await kit.client.post('/auth/email/verify', { email: `${name}@example.com`, code: '123456' })).status)
    expect(statuses).toEqual([400, 400, 400])
    const refused = await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code })
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toMatch(/^\d+$/)
  })

  it('an expired code (24 h for verification, by the test clock) is 400', async () => {
    const kit = await codesApp()
    const code = await signUp(kit, 'ada@example.com')
    kit.clock.advance(86_400_000 + 1000)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code })).status).toBe(400)
  })

  it('only the newest code of an address works', async () => {
    const kit = await codesApp()
    const first = await signUp(kit, 'ada@example.com')
    expect((await kit.client.post('/auth/email/verification', { email: 'ada@example.com' })).status).toBe(202)
    await settle()
    const second = codeOf(kit.outbox.messages().find((message) => message.to === 'ada@example.com')!)
    if (second !== first) expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: first })).status).toBe(400)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: second })).status).toBe(200)
  })

  it.each([['12345'], ['abcdef'], ['1234567']])('a malformed code (%s) is 400 and not counted', async (bad) => {
    const kit = await codesApp({ perAddress: 2 })
    const code = await signUp(kit, 'ada@example.com')
    for (let i = 0; i < 3; i++) expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: bad })).status).toBe(400)
    expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code })).status).toBe(200)
  })

  it('in PostgreSQL: a new code replaces the old one under the same id (an upsert), and works once', async () => {
    const db = await createTestPostgresSchema()
    try {
      const kit = await codesApp({ store: new PostgresOneTimeTokenStore({ pool: db.pool, schema: db.schema }) })
      const first = await signUp(kit, 'ada@example.com')
      expect((await kit.client.post('/auth/email/verification', { email: 'ada@example.com' })).status).toBe(202)
      await settle()
      const second = codeOf(kit.outbox.messages().find((message) => message.to === 'ada@example.com')!)
      const rows = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${db.schema}".one_time_tokens`)
      expect(Number(rows.rows[0]!.n)).toBe(1)
      if (second !== first) expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: first })).status).toBe(400)
      expect((await kit.client.post('/auth/email/verify', { email: 'ada@example.com', code: second })).status).toBe(200)
    } finally {
      await db.close()
    }
  })

  describe('password reset', () => {
    it('forgot mails a reset code; { email, code, password } resets once, ends every session, and the new password signs in', async () => {
      const kit = await codesApp()
      const alice = browser(kit.app)
      expect((await alice.login('alice@example.com', 'alice-password')).status).toBe(200)
      expect((await kit.client.post('/auth/password/forgot', { email: 'alice@example.com' })).status).toBe(202)
      const mail = await kit.mailTo('alice@example.com', /reset/i)
      expect(mail.links).toEqual([])
      const code = codeOf(mail)

      expect((await kit.client.post('/auth/password/reset', { email: 'bob@example.com', code, password: newPassword })).status).toBe(400)
      const reset = await kit.client.post('/auth/password/reset', { email: 'alice@example.com', code, password: newPassword })
      expect(reset.status).toBe(204)
      expect((await alice.get('/api/me')).status).toBe(401)
      expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)
      expect((await browser(kit.app).login('alice@example.com', newPassword)).status).toBe(200)
      expect((await kit.client.post('/auth/password/reset', { email: 'alice@example.com', code, password: 'yet another passphrase' })).status).toBe(400)
    })

    it('a refused new password does not use the code up; wrong codes end in 429; an expired code (30 min) is 400', async () => {
      const kit = await codesApp({ perAddress: 2 })
      expect((await kit.client.post('/auth/password/forgot', { email: 'bob@example.com' })).status).toBe(202)
      const code = codeOf(await kit.mailTo('bob@example.com', /reset/i))
      expect((await kit.client.post('/auth/password/reset', { email: 'bob@example.com', code, password: 'short' })).status).toBe(400)
      kit.clock.advance(30 * 60_000 + 1000)
      expect((await kit.client.post('/auth/password/reset', { email: 'bob@example.com', code, password: newPassword })).status).toBe(400)

      const later = await codesApp({ perAddress: 2 })
      expect((await later.client.post('/auth/password/forgot', { email: 'bob@example.com' })).status).toBe(202)
      const live = codeOf(await later.mailTo('bob@example.com', /reset/i))
      expect((await later.client.post('/auth/password/reset', { email: 'bob@example.com', code: wrong(live), password: newPassword })).status).toBe(400)
      const limited = await later.client.post('/auth/password/reset', { email: 'bob@example.com', code: wrong(wrong(live)), password: newPassword })
      expect(limited.status).toBe(429)
      expect(limited.headers['retry-after']).toMatch(/^\d+$/)
      // Burned: the right code is now a wrong one (429 while the address is blocked, 400 after).
      expect((await later.client.post('/auth/password/reset', { email: 'bob@example.com', code: live, password: newPassword })).status).toBe(429)
      later.clock.advance(16 * 60_000)
      expect((await later.client.post('/auth/password/reset', { email: 'bob@example.com', code: live, password: newPassword })).status).toBe(400)
    })
  })
})
