import { RedisSecondFactorStore } from '@acme/auth-core/redis'
import { createTestClock, createTotpCode } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { problemErrorHandler, requireAuthLevel } from '../index.js'
import { browser } from '../../test/fixtures.js'
import { cookieLine, cookiesSet, createMfaApp, enrolledUser, enrollTotp, type Browser } from '../../test/mfa-helpers.js'

const mfaRequired = { mfaRequired: true, methods: ['totp', 'recovery'] }
const problemType = (res: { body: unknown }) => (res.body as { type?: string }).type

/** Completes a pending sign-in; on success the browser takes the new session's CSRF token. */
async function verify(b: Browser, method: 'totp' | 'recovery', code: string) {
  const res = await b.post('/auth/mfa/verify', { method, code })
  if (res.status === 200) b.csrf = (res.body as { csrfToken: string }).csrfToken
  return res
}

describe.each(['session', 'token'] as const)('second factors over HTTP (%s strategy)', (strategy) => {
  const sessionCookie = strategy === 'session' ? '__Host-sid' : '__Host-access'

  it('the README example: enroll TOTP, then a password alone creates no session until the code', async () => {
    const { app, clock } = await createMfaApp({ strategy })
    // Enrollment needs a fresh session: sign in, get the QR code, confirm with a first code.
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const { secret, recoveryCodes } = await enrollTotp(alice, clock) // POST /auth/mfa/totp, then /auth/mfa/totp/confirm
    expect(recoveryCodes).toHaveLength(10)
    await alice.post('/auth/logout')
    await alice.fetchCsrf()

    // The password is right: 200 { mfaRequired, methods }, NO session cookie, only __Host-mfa.
    const login = await alice.login('alice@example.com', 'alice-password')
    expect(login.status).toBe(200)
    expect(login.body).toEqual(mfaRequired)
    expect(cookiesSet(login)).toEqual(['__Host-mfa'])
    expect((await alice.get('/auth/session')).body).toEqual({ user: null })
    expect((await alice.get('/api/me')).status).toBe(401)

    // The code turns the pending sign-in into a NEW session: authLevel 'mfa', amr pwd + otp.
    const verified = await alice.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({ user: { id: 'u-alice', email: 'alice@example.com' } })
    expect(typeof (verified.body as { csrfToken?: unknown }).csrfToken).toBe('string')
    expect(cookiesSet(verified)).toContain(sessionCookie)
    const session = await alice.get('/auth/session')
    expect(session.body).toMatchObject({ user: { id: 'u-alice' }, session: { authLevel: 'mfa', amr: ['pwd', 'otp', 'mfa'] } })
    expect((await alice.get('/api/me')).status).toBe(200)
  })

  it('refuses a wrong code with 401 and then, per user, 429 with Retry-After (even for the right code)', async () => {
    const { app, clock } = await createMfaApp({ strategy, secondFactors: { limits: { maxAttempts: 3 } } })
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    expect((await b.login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
    for (let i = 0; i < 3; i++) {
      const wrong = await verify(b, 'totp', '000000')
      expect(wrong.status).toBe(401)
      expect(problemType(wrong)).toMatch(/\/mfa-invalid-code$/)
    }
    const limited = await verify(b, 'totp', createTotpCode(secret, clock))
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Another pending sign-in (another IP, say) shares the user's budget.
    const other = browser(app)
    await other.login('alice@example.com', 'alice-password')
    expect((await verify(other, 'totp', createTotpCode(secret, clock))).status).toBe(429)
    expect(cookiesSet(limited)).not.toContain(sessionCookie)
    // The window ends: the right code works again.
    clock.advance(15 * 60_000)
    const again = browser(app)
    await again.login('alice@example.com', 'alice-password')
    expect((await verify(again, 'totp', createTotpCode(secret, clock))).status).toBe(200)
  })

  it('accepts a TOTP code once: the same code in its window is refused for the next sign-in', async () => {
    const { app, clock } = await createMfaApp({ strategy })
    const { secret } = await enrolledUser(app, clock)
    const code = createTotpCode(secret, clock)
    const first = browser(app)
    await first.login('alice@example.com', 'alice-password')
    expect((await verify(first, 'totp', code)).status).toBe(200)
    const second = browser(app)
    await second.login('alice@example.com', 'alice-password')
    const replayed = await verify(second, 'totp', code)
    expect(replayed.status).toBe(401)
    expect(problemType(replayed)).toMatch(/\/mfa-invalid-code$/)
    clock.advance(30_000)
    expect((await verify(second, 'totp', createTotpCode(secret, clock))).status).toBe(200)
  })

  it('takes each recovery code once', async () => {
    const { app, clock } = await createMfaApp({ strategy })
    const { recoveryCodes } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const used = await verify(b, 'recovery', recoveryCodes[0]!)
    expect(used.status).toBe(200)
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'mfa', amr: ['pwd', 'otp', 'mfa'] } })
    expect((await b.get('/auth/mfa')).body).toEqual({ totp: true, recoveryCodes: 9, passkeys: 0 })
    const again = browser(app)
    await again.login('alice@example.com', 'alice-password')
    expect((await verify(again, 'recovery', recoveryCodes[0]!)).status).toBe(401)
    expect((await verify(again, 'recovery', recoveryCodes[1]!.toUpperCase())).status).toBe(200)
  })
})

describe('the __Host-mfa cookie', () => {
  it('is HttpOnly, Secure, SameSite=Strict, Path=/, at most 5 minutes', async () => {
    const { app, clock } = await createMfaApp()
    await enrolledUser(app, clock)
    const login = await browser(app).login('alice@example.com', 'alice-password')
    const line = cookieLine(login, '__Host-mfa')!
    expect(line).toMatch(/^__Host-mfa=[A-Za-z0-9_-]{43};/)
    const attributes = line.split(';').slice(1).map((part) => part.trim().toLowerCase())
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/']))
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false)
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))!.slice(8))
    expect(maxAge).toBeGreaterThan(0)
    expect(maxAge).toBeLessThanOrEqual(300)
  })

  it('is single use: cleared on success, and replaying it afterwards is refused', async () => {
    const { app, clock } = await createMfaApp()
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const pending = b.cookie('__Host-mfa')!
    const verified = await verify(b, 'totp', createTotpCode(secret, clock))
    expect(verified.status).toBe(200)
    expect(cookieLine(verified, '__Host-mfa')).toMatch(/Max-Age=0/)
    // An attacker who copied the cookie before it was used gets nothing, even with a good code.
    const thief = browser(app)
    await thief.fetchCsrf()
    thief.jar.set('__Host-mfa', { value: pending, path: '/' })
    clock.advance(30_000)
    const replay = await verify(thief, 'totp', createTotpCode(secret, clock))
    expect(replay.status).toBe(401)
    expect(problemType(replay)).toMatch(/\/mfa-expired$/)
    expect(cookiesSet(replay)).toEqual([])
  })

  it('is anonymous everywhere else, and expires after 5 minutes', async () => {
    const { app, clock } = await createMfaApp()
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    expect((await b.get('/auth/session')).body).toEqual({ user: null })
    expect((await b.get('/auth/sessions')).status).toBe(401)
    expect((await b.get('/api/me')).status).toBe(401)
    expect((await b.post('/auth/mfa/step-up', { method: 'totp', code: createTotpCode(secret, clock) })).status).toBe(401)
    expect((await b.post('/auth/mfa/totp')).status).toBe(401)
    clock.advance(5 * 60_000 + 1)
    const late = await verify(b, 'totp', createTotpCode(secret, clock))
    expect(late.status).toBe(401)
    expect(problemType(late)).toMatch(/\/mfa-expired$/)
  })

  it('is needed: a verify without it, or with garbage, is 401 and creates nothing', async () => {
    const { app, clock } = await createMfaApp()
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.fetchCsrf()
    expect((await verify(b, 'totp', createTotpCode(secret, clock))).status).toBe(401)
    b.jar.set('__Host-mfa', { value: 'not-a-token', path: '/' })
    expect((await verify(b, 'totp', createTotpCode(secret, clock))).status).toBe(401)
    expect((await b.post('/auth/mfa/verify', { method: 'sms', code: '1' })).status).toBe(400)
  })
})

describe('enrollment', () => {
  it('needs a fresh session to start or remove TOTP (401 …/reauthenticate), and removal ends the challenge', async () => {
    const { app, clock } = await createMfaApp()
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    clock.advance(11 * 60_000)
    const stale = await b.post('/auth/mfa/totp')
    expect(stale.status).toBe(401)
    expect(problemType(stale)).toMatch(/\/reauthenticate$/)
    await b.login('alice@example.com', 'alice-password')
    await enrollTotp(b, clock)
    expect((await b.post('/auth/mfa/totp')).status).toBe(409)
    clock.advance(11 * 60_000)
    expect(problemType(await b.delete('/auth/mfa/totp'))).toMatch(/\/reauthenticate$/)

    // The stale session removed nothing: the next sign-in still asks for the code.
    expect((await browser(app).login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
  })

  it('confirms only with a right code, and recovery codes can be regenerated (the old ones die)', async () => {
    const { app, clock } = await createMfaApp()
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    expect((await b.post('/auth/mfa/recovery-codes')).status).toBe(409)
    expect((await b.post('/auth/mfa/totp')).status).toBe(200)
    expect((await b.post('/auth/mfa/totp/confirm', { code: '123456' })).status).toBe(401)
    const { recoveryCodes: first } = await enrollTotp(b, clock)
    const regenerated = await b.post('/auth/mfa/recovery-codes')
    expect(regenerated.status).toBe(200)
    const second = (regenerated.body as { recoveryCodes: string[] }).recoveryCodes
    expect(second).toHaveLength(10)
    expect(second).not.toContain(first[0])
    const other = browser(app)
    await other.login('alice@example.com', 'alice-password')
    expect((await verify(other, 'recovery', first[0]!)).status).toBe(401)
    expect((await verify(other, 'recovery', second[0]!)).status).toBe(200)
  })

  it('DELETE /auth/mfa/totp (fresh) → 204, and the next password sign-in gets a session at once', async () => {
    const { app, clock } = await createMfaApp()
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    await enrollTotp(b, clock)
    expect((await b.delete('/auth/mfa/totp')).status).toBe(204)
    expect((await b.get('/auth/mfa')).body).toEqual({ totp: false, recoveryCodes: 0, passkeys: 0 })
    const next = await browser(app).login('alice@example.com', 'alice-password')
    expect(next.body).toMatchObject({ user: { id: 'u-alice' } })
  })

  it('answers 404 for every MFA route when secondFactors is not configured', async () => {
    const { createTestApp } = await import('../../test/fixtures.js')
    const { app } = await createTestApp()
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    expect((await b.post('/auth/mfa/totp')).status).toBe(404)
    expect((await b.post('/auth/mfa/verify', { method: 'totp', code: '123456' })).status).toBe(404)
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password', amr: ['pwd'] } })
  })
})

describe.each(['session', 'token'] as const)('step-up (%s strategy)', (strategy) => {
  it('requireAuthLevel("mfa") answers 401 …/mfa-required, then allows after POST /auth/mfa/step-up (no new sign-in)', async () => {
    const { app, clock } = await createMfaApp({ strategy })
    app.post('/api/danger', requireAuthLevel('mfa'), (_req, res) => {
      res.json({ ok: true })
    })
    app.use(problemErrorHandler())
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const { secret } = await enrollTotp(b, clock)

    const refused = await b.post('/api/danger')
    expect(refused.status).toBe(401)
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(problemType(refused)).toBe('https://acme.dev/problems/mfa-required')

    expect((await b.post('/auth/mfa/step-up', { method: 'totp', code: '000000' })).status).toBe(401)
    const raised = await b.post('/auth/mfa/step-up', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(raised.status).toBe(200)
    expect(raised.body).toMatchObject({ user: { id: 'u-alice' }, session: { authLevel: 'mfa', amr: ['pwd', 'otp', 'mfa'] } })
    b.csrf = (raised.body as { csrfToken: string }).csrfToken
    expect((await b.post('/api/danger')).body).toEqual({ ok: true })
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'mfa', amr: ['pwd', 'otp', 'mfa'] } })
    // One device: the step-up raised this session, it did not add another.
    expect(((await b.get('/auth/sessions')).body as unknown[]).length).toBe(1)
  })

  it('refuses a replayed code for step-up too, and an anonymous caller gets 401 …/unauthenticated', async () => {
    const { app, clock } = await createMfaApp({ strategy })
    app.post('/api/danger', requireAuthLevel('mfa'), (_req, res) => {
      res.json({ ok: true })
    })
    app.use(problemErrorHandler())
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const { secret } = await enrollTotp(b, clock)
    const code = createTotpCode(secret, clock)
    const raised = await b.post('/auth/mfa/step-up', { method: 'totp', code })
    expect(raised.status).toBe(200)
    b.csrf = (raised.body as { csrfToken: string }).csrfToken
    expect((await b.post('/auth/mfa/step-up', { method: 'totp', code })).status).toBe(401)
    const anonymous = browser(app)
    await anonymous.fetchCsrf()
    expect(problemType(await anonymous.post('/api/danger'))).toMatch(/\/unauthenticated$/)
  })
})

describe('two app instances sharing Redis', () => {
  const client = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 })
  const prefix = `test:mfa-http:${crypto.randomUUID()}:`
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`)
    if (keys.length > 0) await client.del(...keys)
    client.disconnect()
  })

  it('refuses on one instance a TOTP code accepted on the other, and completes a pending sign-in of either', async () => {
    await client.connect()
    const clock = createTestClock()
    const store = () => new RedisSecondFactorStore({ client, prefix })
    const a = await createMfaApp({ clock, factorStore: store() })
    const b = await createMfaApp({ clock, factorStore: store() })
    const { secret } = await enrolledUser(a.app, clock)
    const code = createTotpCode(secret, clock)
    const onA = browser(a.app)
    await onA.login('alice@example.com', 'alice-password')
    expect((await verify(onA, 'totp', code)).status).toBe(200)
    const onB = browser(b.app)
    expect((await onB.login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
    const replayed = await verify(onB, 'totp', code)
    expect(replayed.status).toBe(401)
    // A pending sign-in started on B completes on A (the record lives in Redis), once.
    clock.advance(30_000)
    const pending = onB.cookie('__Host-mfa')!
    const viaA = browser(a.app)
    await viaA.fetchCsrf()
    viaA.jar.set('__Host-mfa', { value: pending, path: '/' })
    expect((await verify(viaA, 'totp', createTotpCode(secret, clock))).status).toBe(200)
    clock.advance(30_000)
    expect((await verify(onB, 'totp', createTotpCode(secret, clock))).status).toBe(401)
  })

})
