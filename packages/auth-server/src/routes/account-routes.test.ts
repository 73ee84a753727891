import { createOfflineBreachedPasswords, createPasswordPolicy, createSessionManager, MemorySessionStore } from '@acme/auth-core'
import { createTestClock, recordedAuditEvents, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, settle, tokenOf } from '../../test/accounts-app.js'
import { browser, origin, secret, testHasher } from '../../test/fixtures.js'
import { createAuth, createMemoryUserDirectory } from '../index.js'

const newPassword = 'a long new passphrase'
trackSecrets(newPassword)

describe('POST /auth/signup (verification required, the default)', () => {
  it('answers the same 202 body for a new and an existing address; each gets its own mail', async () => {
    const { app, outbox, users, mailTo } = await createAccountsApp()
    const a = browser(app)
    await a.fetchCsrf()
    const created = await a.post('/auth/signup', { email: 'Ada@Example.com', password: newPassword, name: 'Ada' })
    const b = browser(app)
    await b.fetchCsrf()
    const existing = await b.post('/auth/signup', { email: 'alice@example.com', password: newPassword, name: 'Mallory' })
    expect(created.status).toBe(202)
    expect(existing.status).toBe(202)
    expect(created.body).toEqual({ status: 'verification_sent' })
    expect(existing.body).toEqual(created.body)
    expect(created.headers['set-cookie']?.toString() ?? '').not.toMatch(/__Host-sid=/)

    const verification = await mailTo('ada@example.com')
    expect(verification.subject).toMatch(/confirm/i)
    expect(verification.links[0]).toMatch(/^https:\/\/app\.example\.com\/verify-email\?token=/)
    const already = await mailTo('alice@example.com')
    expect(already.subject).toMatch(/already have an account/i)
    expect(already.links[0]).toMatch(/\/reset-password\?token=/)
    expect(outbox.messages()).toHaveLength(2)
    // The existing account is untouched; the new one waits for its verification.
    expect(users.users.get('u-alice')?.name).toBe('Alice')
    const ada = [...users.users.values()].find((user) => user.email === 'ada@example.com')!
    expect(ada).toMatchObject({ name: 'Ada', emailVerified: false, roles: ['member'] })
    expect(ada.passwordHash).toMatch(/^\$scrypt\$/)
  })

  it('refuses an unverified account’s password sign-in (403) until the link is used, which signs in', async () => {
    const { app, mailTo } = await createAccountsApp()
    const client = browser(app)
    await client.fetchCsrf()
    await client.post('/auth/signup', { email: 'ada@example.com', password: newPassword, name: 'Ada' })
    const token = tokenOf(await mailTo('ada@example.com'))
    expect((await browser(app).login('ada@example.com', 'wrong password!')).status).toBe(401)
    const early = await browser(app).login('ada@example.com', newPassword)
    expect(early.status).toBe(403)
    expect(early.body).toMatchObject({ type: 'https://acme.dev/problems/email-unverified' })

    const verify = await client.post('/auth/email/verify', { token })
    expect(verify.status).toBe(200)
    expect(verify.headers['referrer-policy']).toBe('no-referrer')
    expect(verify.body).toMatchObject({ user: { email: 'ada@example.com', name: 'Ada', roles: ['member'] } })
    expect(client.cookie('__Host-sid')).toBeDefined()
    client.csrf = (verify.body as { csrfToken: string }).csrfToken
    expect((await client.get('/api/me')).status).toBe(200)
    expect((await browser(app).login('ada@example.com', newPassword)).status).toBe(200)
  })

  it('refuses a password the policy refuses (400 with the reason), for any address alike, and sends nothing', async () => {
    const policy = createPasswordPolicy({ minLength: 10, breached: createOfflineBreachedPasswords() })
    const { app, outbox } = await createAccountsApp({ passwordPolicy: policy })
    const client = browser(app)
    await client.fetchCsrf()
    const short = await client.post('/auth/signup', { email: 'new@example.com', password: 'short', name: 'N' })
    expect(short.status).toBe(400)
    expect(short.body).toMatchObject({ type: 'https://acme.dev/problems/password-policy', violations: ['too_short'] })
    expect(short.headers['content-type']).toMatch(/^application\/problem\+json/)
    const breached = await client.post('/auth/signup', { email: 'alice@example.com', password: 'password123', name: 'N' })
    expect(breached.status).toBe(400)
    expect(breached.body).toMatchObject({ violations: ['breached'] })
    await settle()
    expect(outbox.messages()).toEqual([])
  })

  it.each([
    ['no email', { password: newPassword }],
    ['not an address', { email: 'not-an-address', password: newPassword }],
    ['a number for the password', { email: 'a@example.com', password: 42 }],
  ])('answers 400 problem+json for %s', async (_name, body) => {
    const { app } = await createAccountsApp()
    const client = browser(app)
    await client.fetchCsrf()
    const res = await client.post('/auth/signup', body)
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('is refused without the CSRF token', async () => {
    const { app } = await createAccountsApp()
    const client = browser(app)
    const res = await client.post('/auth/signup', { email: 'a@example.com', password: newPassword })
    expect(res.status).toBe(403)
  })
})

describe('POST /auth/signup (verification off)', () => {
  it('answers 201 { user } with a session, and 409 for a taken address', async () => {
    const { app } = await createAccountsApp({ verification: 'off' })
    const client = browser(app)
    await client.fetchCsrf()
    const res = await client.post('/auth/signup', { email: 'ada@example.com', password: newPassword, name: 'Ada' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ user: { email: 'ada@example.com', name: 'Ada', roles: ['member'] } })
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/)
    client.csrf = (res.body as { csrfToken: string }).csrfToken
    expect((await client.get('/api/me')).status).toBe(200)
    const other = browser(app)
    await other.fetchCsrf()
    const taken = await other.post('/auth/signup', { email: 'ALICE@example.com', password: newPassword, name: 'M' })
    expect(taken.status).toBe(409)
    expect(taken.body).toMatchObject({ type: 'https://acme.dev/problems/account-exists' })
  })
})

describe('POST /auth/email/verification', () => {
  it('answers the same 202 for unverified, verified and unknown addresses; mails only the unverified one', async () => {
    const { app, users, outbox, mailTo } = await createAccountsApp()
    users.add({ id: 'u-new', email: 'new@example.com', name: 'New', emailVerified: false })
    const client = browser(app)
    await client.fetchCsrf()
    const answers = []
    for (const email of ['new@example.com', 'alice@example.com', 'nobody@example.com']) answers.push(await client.post('/auth/email/verification', { email }))
    expect(answers.map((res) => res.status)).toEqual([202, 202, 202])
    expect(answers[1]!.body).toEqual(answers[0]!.body)
    expect(answers[2]!.body).toEqual(answers[0]!.body)
    await mailTo('new@example.com')
    await settle()
    expect(outbox.messages().map((message) => message.to)).toEqual(['new@example.com'])
    expect(recordedAuditEvents().some((event) => event.type === 'EMAIL_VERIFICATION_SENT' && event.userId === 'u-new')).toBe(true)
  })
})

describe('POST /auth/email/verify', () => {
  const setup = async () => {
    const clock = createTestClock(new Date())
    const kit = await createAccountsApp({ clock })
    kit.users.add({ id: 'u-new', email: 'new@example.com', name: 'New', emailVerified: false })
    const client = browser(kit.app)
    await client.fetchCsrf()
    await client.post('/auth/email/verification', { email: 'new@example.com' })
    const token = tokenOf(await kit.mailTo('new@example.com'))
    return { ...kit, clock, client, token }
  }
  const invalid = { type: 'https://acme.dev/problems/invalid-token', status: 400 }

  it('works once: a used token is 400', async () => {
    const { client, token, users } = await setup()
    const first = await client.post('/auth/email/verify', { token })
    expect(first.status).toBe(200)
    expect(users.users.get('u-new')?.emailVerified).toBe(true)
    client.csrf = (first.body as { csrfToken: string }).csrfToken // the new session's
    const again = await client.post('/auth/email/verify', { token })
    expect(again.status).toBe(400)
    expect(again.body).toMatchObject(invalid)
    expect(again.headers['referrer-policy']).toBe('no-referrer')
  })

  it('expires after 24 hours by the test clock', async () => {
    const { client, token, clock } = await setup()
    clock.advance(24 * 3600_000 + 1000)
    const res = await client.post('/auth/email/verify', { token })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject(invalid)
  })

  it('refuses forged tokens: any part changed, another purpose’s token, garbage', async () => {
    const { client, token, mailTo } = await setup()
    const [id, secretPart, tag] = token.split('.') as [string, string, string]
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
    const forged = [`${flip(id)}.${secretPart}.${tag}`, `${id}.${flip(secretPart)}.${tag}`, `${id}.${secretPart}.${'0'.repeat(24)}`, `${id}.${secretPart}`, 'x', '']
    for (const candidate of forged) {
      const res = await client.post('/auth/email/verify', { token: candidate })
      expect([400], candidate).toContain(res.status)
    }
    // A reset token is not a verification token.
    await client.post('/auth/password/forgot', { email: 'alice@example.com' })
    const resetToken = tokenOf(await mailTo('alice@example.com'))
    expect((await client.post('/auth/email/verify', { token: resetToken })).status).toBe(400)
    // The genuine one still works: wrong guesses did not burn it.
    expect((await client.post('/auth/email/verify', { token })).status).toBe(200)
  })

  it('is bound to the address: a link for an old address does not verify the new one', async () => {
    const { client, token, users } = await setup()
    users.users.get('u-new')!.email = 'changed@example.com'
    expect((await client.post('/auth/email/verify', { token })).status).toBe(400)
    expect(users.users.get('u-new')?.emailVerified).toBe(false)
  })

  it('exactly one of 50 concurrent uses of a link wins', async () => {
    const { app, token } = await setup()
    const clients = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const c = browser(app)
        await c.fetchCsrf()
        return c
      }),
    )
    const statuses = await Promise.all(clients.map((c) => c.post('/auth/email/verify', { token }).then((res) => res.status)))
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 400)).toHaveLength(49)
  })
})

describe('which account routes exist', () => {
  it('answers 404 for the routes the directory cannot serve, and none without `accounts`', async () => {
    const passwords = testHasher()
    const minimal = { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(null) }
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const withAccounts = createAuth({ sessions, passwords, users: minimal, http: { origin, secret, limits: false }, accounts: {} })
    const without = createAuth({ sessions, passwords, users: createMemoryUserDirectory(), http: { origin, secret, limits: false } })
    const express = (await import('express')).default
    for (const auth of [withAccounts, without]) {
      const app = express()
      app.use('/auth', auth.router())
      const client = browser(app)
      await client.fetchCsrf()
      for (const path of ['/auth/signup', '/auth/email/verification', '/auth/email/verify', '/auth/password/forgot', '/auth/password/reset', '/auth/password']) {
        expect((await client.post(path, { email: 'a@example.com' })).status, path).toBe(404)
      }
      expect((await client.get('/auth/accounts')).status).toBe(404)
      expect((await client.delete('/auth/account')).status).toBe(404)
    }
  })

  it('refuses bad `accounts` options with a TypeError naming the option', () => {
    const base = { sessions: createSessionManager({ store: new MemorySessionStore() }), passwords: testHasher(), users: createMemoryUserDirectory(), http: { origin, secret } }
    expect(() => createAuth({ ...base, accounts: { mailer: { send: () => Promise.resolve() } } })).toThrow(/options\.accounts\.links is required/)
    expect(() => createAuth({ ...base, accounts: { verification: 'maybe' as 'off' } })).toThrow(/options\.accounts\.verification/)
    expect(() => createAuth({ ...base, accounts: { tokens: { resetTtlSeconds: 5 } } })).toThrow(/options\.accounts\.tokens\.resetTtlSeconds/)
    expect(() => createAuth({ ...base, accounts: { mailer: {} as never, links: { verify: String, reset: String } } })).toThrow(/options\.accounts\.mailer/)
  })
})
