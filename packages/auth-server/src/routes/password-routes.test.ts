import { createOfflineBreachedPasswords, createPasswordPolicy } from '@acme/auth-core'
import { createTestClock, recordedAuditEvents, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, settle, tokenOf } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'

const newPassword = 'a brand new passphrase'
trackSecrets(newPassword)

type App = Awaited<ReturnType<typeof createAccountsApp>>

/** Asks for a reset of `email` and returns the token from the mail. */
async function resetToken(kit: App, email = 'alice@example.com') {
  const client = browser(kit.app)
  await client.fetchCsrf()
  kit.outbox.clear()
  expect((await client.post('/auth/password/forgot', { email })).status).toBe(202)
  return tokenOf(await kit.mailTo(email, /reset/i))
}

describe('POST /auth/password/forgot', () => {
  it('answers the same 202 body for a known and an unknown address; only the known one gets mail', async () => {
    const kit = await createAccountsApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    const known = await client.post('/auth/password/forgot', { email: 'ALICE@example.com' })
    const unknown = await client.post('/auth/password/forgot', { email: 'nobody@example.com' })
    expect(known.status).toBe(202)
    expect(unknown.status).toBe(202)
    expect(unknown.body).toEqual(known.body)
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(known.headers).sort())
    const mail = await kit.mailTo('alice@example.com')
    expect(mail.subject).toBe('Reset your password')
    expect(mail.text).toContain('30 minutes')
    await settle()
    expect(kit.outbox.messages()).toHaveLength(1)
    expect(recordedAuditEvents().some((event) => event.type === 'PASSWORD_RESET_REQUESTED' && event.userId === 'u-alice')).toBe(true)
  })

  it('answers a known address in the time of an unknown one: the mail is sent off the request path', { retry: 2, timeout: 30_000 }, async () => {
    // A slow mailer (300 ms a message): a route that awaited it would be caught by the comparison,
    // however slow a loaded machine makes each request.
    const mailer = { send: () => new Promise<void>((resolve) => setTimeout(resolve, 300)) }
    const kit = await createAccountsApp({ mailer })
    const client = browser(kit.app)
    await client.fetchCsrf()
    const time = async (email: string) => {
      const start = performance.now()
      expect((await client.post('/auth/password/forgot', { email })).status).toBe(202)
      return performance.now() - start
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 23; i++) {
      const [a, b] = i % 2 === 0 ? ['alice@example.com', `nobody-${i}@example.com`] : [`nobody-${i}@example.com`, 'bob@example.com']
      const ta = await time(a)
      const tb = await time(b)
      if (i < 2) continue // warm-up
      known.push(i % 2 === 0 ? ta : tb)
      unknown.push(i % 2 === 0 ? tb : ta)
    }
    const [mKnown, mUnknown] = [median(known), median(unknown)]
    console.log(`forgot-password medians: known ${mKnown.toFixed(2)} ms, unknown ${mUnknown.toFixed(2)} ms`)
    expect(Math.abs(mKnown - mUnknown)).toBeLessThan(Math.max(4, 0.25 * Math.max(mKnown, mUnknown)))
    expect(mKnown).toBeLessThan(300) // the mailer's 300 ms are never on the path
  })
})

describe('POST /auth/password/reset', () => {
  it('sets the new password, ends every session of the user (also the one resetting), sends a notice', async () => {
    const kit = await createAccountsApp()
    const laptop = browser(kit.app)
    const phone = browser(kit.app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    const bob = browser(kit.app)
    await bob.login('bob@example.com', 'bob-password')
    const token = await resetToken(kit)

    // Recovery works while signed in: the phone resets.
    const res = await phone.post('/auth/password/reset', { token, password: newPassword })
    expect(res.status).toBe(204)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(phone.cookie('__Host-sid')).toBeUndefined()
    expect((await laptop.get('/api/me')).status).toBe(401)
    expect(await kit.sessions.listForUser('u-alice')).toEqual([])
    expect((await bob.get('/api/me')).status).toBe(200) // nobody else's
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)
    expect((await browser(kit.app).login('alice@example.com', newPassword)).status).toBe(200)
    expect((await kit.mailTo('alice@example.com', /changed/i)).text).toMatch(/password .* was just changed/)
  })

  it('token strategy: every refresh family of the user ends too', async () => {
    const kit = await createAccountsApp({ strategy: 'token' })
    const other = browser(kit.app)
    await other.login('alice@example.com', 'alice-password')
    const refresh = other.cookie('__Secure-refresh')!
    expect((await kit.tokens!.refreshFamilies.inspect(refresh))?.live).toBe(true)
    const token = await resetToken(kit)
    const client = browser(kit.app)
    await client.fetchCsrf()
    expect((await client.post('/auth/password/reset', { token, password: newPassword })).status).toBe(204)
    expect((await kit.tokens!.refreshFamilies.inspect(refresh))?.live).toBe(false)
    expect((await other.post('/auth/refresh')).status).toBe(401)
    expect(await kit.sessions.listForUser('u-alice')).toEqual([])
  })

  it('checks the new password BEFORE using the link: a refused password leaves the link working', async () => {
    const kit = await createAccountsApp({ passwordPolicy: createPasswordPolicy({ minLength: 8, breached: createOfflineBreachedPasswords() }) })
    const token = await resetToken(kit)
    const client = browser(kit.app)
    await client.fetchCsrf()
    const breached = await client.post('/auth/password/reset', { token, password: 'password1' })
    expect(breached.status).toBe(400)
    expect(breached.body).toMatchObject({ type: 'https://acme.dev/problems/password-policy', violations: ['breached'] })
    const short = await client.post('/auth/password/reset', { token, password: 'short' })
    expect(short.body).toMatchObject({ violations: ['too_short'] })
    expect((await client.post('/auth/password/reset', { token, password: newPassword })).status).toBe(204)
  })

  it('a used, an expired (30 minutes, by the test clock) or a forged token is 400', async () => {
    const clock = createTestClock(new Date())
    const kit = await createAccountsApp({ clock })
    const client = browser(kit.app)
    await client.fetchCsrf()
    const invalid = { type: 'https://acme.dev/problems/invalid-token', status: 400 }

    const used = await resetToken(kit)
    expect((await client.post('/auth/password/reset', { token: used, password: newPassword })).status).toBe(204)
    expect((await client.post('/auth/password/reset', { token: used, password: `${newPassword}!` })).body).toMatchObject(invalid)

    const expired = await resetToken(kit, 'bob@example.com')
    clock.advance(30 * 60_000 + 1000)
    expect((await client.post('/auth/password/reset', { token: expired, password: newPassword })).body).toMatchObject(invalid)

    const genuine = await resetToken(kit, 'bob@example.com')
    const [id, secret, tag] = genuine.split('.') as [string, string, string]
    for (const forged of [`${id}.${secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${tag}`, `${id}.${secret}.${'f'.repeat(24)}`, `${id}.${secret}`, 'garbage']) {
      const res = await client.post('/auth/password/reset', { token: forged, password: newPassword })
      expect(res.status, forged).toBe(400)
    }
    expect((await browser(kit.app).login('bob@example.com', 'bob-password')).status).toBe(200) // unchanged
    expect((await client.post('/auth/password/reset', { token: genuine, password: newPassword })).status).toBe(204)
    expect(recordedAuditEvents().some((event) => event.type === 'PASSWORD_RESET_COMPLETED' && event.outcome === 'failure')).toBe(true)
  })

  it('the reset link mailed to a sign-up for a taken address resets that account', async () => {
    const kit = await createAccountsApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    await client.post('/auth/signup', { email: 'bob@example.com', password: newPassword, name: 'Not Bob' })
    const token = tokenOf(await kit.mailTo('bob@example.com', /already/i))
    expect((await client.post('/auth/password/reset', { token, password: newPassword })).status).toBe(204)
    expect((await browser(kit.app).login('bob@example.com', newPassword)).status).toBe(200)
  })
})

describe('POST /auth/password (change)', () => {
  it.each(['session', 'token'] as const)('%s strategy: ends every OTHER session, and this one gets a new token', async (strategy) => {
    const kit = await createAccountsApp({ strategy })
    const here = browser(kit.app)
    const elsewhere = browser(kit.app)
    await here.login('alice@example.com', 'alice-password')
    await elsewhere.login('alice@example.com', 'alice-password')
    const cookie = strategy === 'session' ? '__Host-sid' : '__Secure-refresh'
    const before = here.cookie(cookie)!
    const sessionsBefore = await kit.sessions.listForUser('u-alice')
    expect(sessionsBefore).toHaveLength(2)
    const me = (await here.get('/api/me')).body as { session: { id: string } }

    const res = await here.post('/auth/password', { currentPassword: 'alice-password', newPassword })
    expect(res.status).toBe(204)
    expect(here.cookie(cookie)).toBeDefined()
    expect(here.cookie(cookie)).not.toBe(before)
    const left = await kit.sessions.listForUser('u-alice')
    expect(left.map((session) => session.id)).toEqual([me.session.id])
    expect((await here.get('/api/me')).status).toBe(200)
    if (strategy === 'session') {
      expect(await kit.sessions.validate(before)).toBeNull() // the old token is dead
      expect((await elsewhere.get('/api/me')).status).toBe(401)
    } else {
      expect((await elsewhere.post('/auth/refresh')).status).toBe(401)
      expect((await here.post('/auth/refresh')).status).toBe(204)
    }
    expect((await browser(kit.app).login('alice@example.com', newPassword)).status).toBe(200)
    expect((await kit.mailTo('alice@example.com', /changed/i)).subject).toBe('Your password was changed')
  })

  it('a wrong current password is 401 (rate limited with the sign-in limits: then 429); a refused new one 400', async () => {
    const kit = await createAccountsApp({ limits: { login: { ipAccount: { maxAttempts: 3, blockSeconds: 900 } }, accounts: false } })
    const client = browser(kit.app)
    await client.login('alice@example.com', 'alice-password')
    const weak = await client.post('/auth/password', { currentPassword: 'alice-password', newPassword: 'short' })
    expect(weak.status).toBe(400)
    expect(weak.body).toMatchObject({ violations: ['too_short'] })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await client.post('/auth/password', { currentPassword: 'wrong-password', newPassword })).status)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    const locked = await client.post('/auth/password', { currentPassword: 'alice-password', newPassword })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('needs a signed-in user (401)', async () => {
    const kit = await createAccountsApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    expect((await client.post('/auth/password', { currentPassword: 'x', newPassword })).status).toBe(401)
  })
})

describe('limits of the account routes', () => {
  it('per address: the sixth forgot-password for one address in an hour is 429 with Retry-After, from any IP', async () => {
    const clock = createTestClock(new Date())
    const kit = await createAccountsApp({ clock, limits: { clock } })
    const client = browser(kit.app)
    await client.fetchCsrf()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/auth/password/forgot', { email: 'Alice@example.com' })).status)
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429])
    const refused = await client.post('/auth/password/forgot', { email: 'alice@example.com' })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    // Another address is not limited by Alice's.
    expect((await client.post('/auth/password/forgot', { email: 'bob@example.com' })).status).toBe(202)
    clock.advance(3600_000 + 1000)
    expect((await client.post('/auth/password/forgot', { email: 'alice@example.com' })).status).toBe(202)
  })

  it.each([
    ['/auth/password/reset', { token: 'x', password: newPassword }],
    ['/auth/email/verify', { token: 'x' }],
    ['/auth/signup', { email: 'n@example.com', password: 'short' }],
    ['/auth/email/verification', { email: 'n@example.com' }],
  ])('per IP: %s past its limit is 429 with Retry-After', async (path, body) => {
    const kit = await createAccountsApp({ limits: { accounts: { perIp: { maxRequests: 3, windowSeconds: 60 }, perAddress: false } } })
    const client = browser(kit.app)
    await client.fetchCsrf()
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await client.post(path, body)).status)
    expect(statuses.slice(0, 3)).not.toContain(429)
    expect(statuses[3]).toBe(429)
    const res = await client.post(path, body)
    expect(res.headers['retry-after']).toMatch(/^\d+$/)
  })
})
