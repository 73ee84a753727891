import { createLoginLimiter } from '@acme/auth-core'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, setCookies, testHasher } from '../../test/fixtures.js'

describe('POST /auth/login (session strategy)', () => {
  it('signs in with a NEW session cookie carrying the contract’s attributes', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    const res = await client.login('alice@example.com', 'alice-password')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ user: { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] } })
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt/)
    const sid = setCookies(res).find((line) => line.startsWith('__Host-sid='))!
    expect(sid).toMatch(/; Max-Age=\d+;/)
    expect(sid).toMatch(/; Path=\//)
    expect(sid).toMatch(/; HttpOnly/)
    expect(sid).toMatch(/; Secure/)
    expect(sid).toMatch(/; SameSite=Lax/)
    expect(sid).not.toMatch(/Domain=/i)
    const csrf = setCookies(res).find((line) => line.startsWith('__Host-csrf='))!
    expect(csrf).not.toMatch(/HttpOnly/)
    expect(csrf).toMatch(/; Secure/)
    expect((await client.get('/api/me')).body).toMatchObject({ user: { id: 'u-alice', roles: ['admin'] }, strategy: 'session' })
  })

  it('answers an unknown email and a wrong password with the same 401 body', async () => {
    const { app } = await createTestApp()
    const unknown = await browser(app).login('nobody@example.com', 'whatever-password')
    const wrong = await browser(app).login('alice@example.com', 'wrong-password')
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(setCookies(unknown).some((line) => line.startsWith('__Host-sid='))).toBe(false)
  })

  it('verifies a dummy hash for an unknown email, so the work matches a wrong password', async () => {
    const hasher = testHasher()
    let verifies = 0
    const counting = { ...hasher, verify: (hash: string, password: string) => (verifies++, hasher.verify(hash, password)) }
    const { app } = await createTestApp({ passwords: counting })
    await browser(app).login('nobody@example.com', 'whatever-password')
    await browser(app).login('nobody2@example.com', 'whatever-password')
    expect(verifies).toBe(2)
  })

  it('normalises the email (case, width, spaces)', async () => {
    const { app } = await createTestApp()
    expect((await browser(app).login('  ALICE@Example.COM ', 'alice-password')).status).toBe(200)
  })

  it('never adopts a session cookie the client chose (fixation), and ends the one it brought', async () => {
    const { app, sessions } = await createTestApp()
    const client = browser(app)
    const chosen = `${'A'.repeat(24)}.${'B'.repeat(43)}`
    client.jar.set('__Host-sid', { value: chosen, path: '/' })
    await client.login('bob@example.com', 'bob-password')
    expect(client.cookie('__Host-sid')).not.toBe(chosen)

    // A real earlier session (signed in as someone) is revoked, not reused, on the next sign-in.
    const before = client.cookie('__Host-sid')!
    await client.login('alice@example.com', 'alice-password')
    const after = client.cookie('__Host-sid')!
    expect(after).not.toBe(before)
    expect(await sessions.validate(before)).toBeNull()
    expect((await sessions.validate(after))?.session.userId).toBe('u-alice')
  })

  it('transparently rehashes a password hashed with old parameters', async () => {
    const { app, users, passwords } = await createTestApp()
    const alice = users.get('alice@example.com')!
    alice.passwordHash = await testHasher(11).hash('alice-password') // older, different cost
    expect(passwords.needsRehash(alice.passwordHash)).toBe(true)
    expect((await browser(app).login('alice@example.com', 'alice-password')).status).toBe(200)
    expect(passwords.needsRehash(alice.passwordHash)).toBe(false)
    expect((await browser(app).login('alice@example.com', 'alice-password')).status).toBe(200)
  })

  it('answers 429 with Retry-After past the limits, and keeps refusing the right password while locked', async () => {
    const limiter = createLoginLimiter({ store: 'memory', ipAccount: { maxAttempts: 3, blockSeconds: 900 } })
    const { app } = await createTestApp({ limiter })
    const client = browser(app)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await client.login('alice@example.com', 'nope-nope')).status)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    const locked = await client.login('alice@example.com', 'alice-password')
    expect(locked.status).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    expect(locked.body).toMatchObject({ status: 429, title: 'Too Many Requests' })
  })

  describe('bad input', () => {
    it.each([
      ['not JSON', 'text/plain', 'email=a&password=b', 415],
      ['malformed JSON', 'application/json', '{"email": ', 400],
      ['wrong types', 'application/json', JSON.stringify({ email: 42, password: ['x'] }), 400],
      ['missing fields', 'application/json', JSON.stringify({ email: 'alice@example.com' }), 400],
      ['a JSON array', 'application/json', JSON.stringify([1, 2]), 400],
      ['a huge body', 'application/json', JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }), 413],
    ])('%s → problem+json', async (_name, type, body, status) => {
      const { app } = await createTestApp()
      const client = browser(app)
      await client.fetchCsrf()
      const res = await client.raw('post', '/auth/login').set('content-type', type).send(body)
      expect(res.status).toBe(status)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toMatchObject({ status })
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|stack/i)
    })
  })

  it('refuses a sign-in without the CSRF token (login CSRF)', async () => {
    const { app } = await createTestApp()
    const res = await request(app).post('/auth/login').set('origin', origin).send({ email: 'alice@example.com', password: 'alice-password' })
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ type: 'https://acme.dev/problems/csrf' })
  })
})
