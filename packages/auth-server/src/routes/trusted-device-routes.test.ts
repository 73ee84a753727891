import { MemorySecondFactorStore } from '@acme/auth-core'
import { createRecordingAuditSink, createTotpCode, type TestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { problemErrorHandler, requireAuthLevel } from '../index.js'
import { browser } from '../../test/fixtures.js'
import { cookieLine, createMfaApp, enrolledUser, enrollTotp, type Browser } from '../../test/mfa-helpers.js'

const day = 86_400_000
const device = '__Host-device'
const mfaRequired = { mfaRequired: true, methods: ['totp', 'recovery'] }
const problemType = (res: { body: unknown }) => (res.body as { type?: string }).type
const cleared = (res: { headers: Record<string, unknown> }) => /max-age=0/i.test(cookieLine(res, device) ?? '')

async function rememberApp(strategy: 'session' | 'token' = 'session') {
  const audit = createRecordingAuditSink()
  const testApp = await createMfaApp({ strategy, audit, secondFactors: { rememberDevice: {} } })
  testApp.app.post('/api/danger', requireAuthLevel('mfa'), (_req, res) => {
    res.json({ ok: true })
  })
  testApp.app.use(problemErrorHandler())
  const alice = await enrolledUser(testApp.app, testApp.clock)
  return { ...testApp, audit, alice }
}

/** Signs in with a password and the code, asking to remember this browser; signed out again. */
async function rememberedBrowser(b: Browser, secret: string, clock: TestClock, email = 'alice@example.com', password = 'alice-password') {
  expect((await b.login(email, password)).body).toEqual(mfaRequired)
  const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: true })
  expect(verified.status).toBe(200)
  b.csrf = (verified.body as { csrfToken: string }).csrfToken
  clock.advance(30_000)
  return verified
}

/** A password sign-in that the remembered device lets through (the CSRF token follows the session). */
async function signInSkipping(b: Browser) {
  const res = await b.login('alice@example.com', 'alice-password')
  expect(res.status).toBe(200)
  expect(res.body).not.toHaveProperty('mfaRequired')
  return res
}

describe.each(['session', 'token'] as const)('remember this device (%s strategy)', (strategy) => {
  it('sets a __Host-device cookie; the next sign-in of the same user skips the challenge, with a first-factor session only', async () => {
    const { app, clock, alice, audit } = await rememberApp(strategy)
    const b = browser(app)
    const verified = await rememberedBrowser(b, alice.secret, clock)
    const line = cookieLine(verified, device)!
    expect(line).toMatch(/^__Host-device=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43};/)
    const attributes = line.split(';').slice(1).map((part) => part.trim().toLowerCase())
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/', 'max-age=2592000']))
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false)
    // The session this verify created is a two-factor one, as always.
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'mfa' } })
    expect((await b.post('/auth/logout')).status).toBe(204)
    expect(b.cookie(device)).toBeDefined() // signing out does not forget the device

    await b.fetchCsrf()
    const again = await signInSkipping(b)
    expect(again.body).toMatchObject({ user: { id: 'u-alice' } })
    // Not a factor: the session claims the password only, and step-up guards still ask.
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password', amr: ['pwd'] } })
    const danger = await b.post('/api/danger')
    expect(danger.status).toBe(401)
    expect(problemType(danger)).toBe('https://acme.dev/problems/mfa-required')
    const listed = (await b.get('/auth/mfa/devices')).body as Record<string, unknown>[]
    expect(listed).toEqual([
      { id: b.cookie(device)!.split('.')[0], label: 'Unknown browser', createdAt: expect.any(String) as unknown, lastUsedAt: new Date(clock.now()).toISOString(), expiresAt: expect.any(String) as unknown, current: true },
    ])
    expect(Date.parse(listed[0]!.expiresAt as string) - Date.parse(listed[0]!.createdAt as string)).toBe(30 * day)
    expect(audit.events.filter((event) => event.type === 'MFA_DEVICE_TRUSTED')).toHaveLength(1)
  })

  it("never counts for another user: Bob's sign-in with Alice's device cookie is challenged and the cookie cleared", async () => {
    const { app, clock, alice } = await rememberApp(strategy)
    await enrolledUser(app, clock, 'bob@example.com', 'bob-password')
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    await b.post('/auth/logout')
    await b.fetchCsrf()
    const bob = await b.login('bob@example.com', 'bob-password')
    expect(bob.body).toEqual(mfaRequired)
    expect(cleared(bob)).toBe(true)
  })
})

describe('remembered devices end', () => {
  it('after 30 days by the clock: challenged again, the cookie cleared', async () => {
    const { app, clock, alice } = await rememberApp()
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    await b.post('/auth/logout')
    clock.advance(30 * day - 60_000)
    await b.fetchCsrf()
    await signInSkipping(b)
    await b.post('/auth/logout')
    clock.advance(60_000)
    await b.fetchCsrf()
    const expired = await b.login('alice@example.com', 'alice-password')
    expect(expired.body).toEqual(mfaRequired)
    expect(cleared(expired)).toBe(true)
  })

  it('DELETE /auth/mfa/devices/:id forgets one (404 for an id that is not yours), and the next sign-in is challenged', async () => {
    const { app, clock, alice } = await rememberApp()
    await enrolledUser(app, clock, 'bob@example.com', 'bob-password')
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    const id = b.cookie(device)!.split('.')[0]!
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    expect((await bob.delete(`/auth/mfa/devices/${id}`)).status).toBe(401) // a pending sign-in is no session
    expect((await b.delete('/auth/mfa/devices/not-a-device')).status).toBe(404)
    // CSRF, as every unsafe route.
    expect((await b.delete(`/auth/mfa/devices/${id}`, { 'x-csrf-token': 'forged' })).status).toBe(403)
    const forgotten = await b.delete(`/auth/mfa/devices/${id}`)
    expect(forgotten.status).toBe(204)
    expect(cleared(forgotten)).toBe(true)
    expect((await b.get('/auth/mfa/devices')).body).toEqual([])
    expect((await b.delete(`/auth/mfa/devices/${id}`)).status).toBe(404)
    await b.post('/auth/logout')
    await b.fetchCsrf()
    expect((await b.login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
  })

  it('POST /auth/logout-all forgets every device of the user', async () => {
    const { app, clock, alice } = await rememberApp()
    const [here, there] = [browser(app), browser(app)]
    await rememberedBrowser(here, alice.secret, clock)
    await rememberedBrowser(there, alice.secret, clock)
    expect(((await here.get('/auth/mfa/devices')).body as unknown[]).length).toBe(2)
    expect((await here.post('/auth/logout-all')).status).toBe(204)
    for (const b of [here, there]) {
      await b.fetchCsrf()
      expect((await b.login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
    }
  })

  it('removing TOTP forgets them: after enrolling again, the old cookie no longer skips the new factor', async () => {
    const { app, clock, alice } = await rememberApp()
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    expect((await b.delete('/auth/mfa/totp')).status).toBe(204)
    const { secret } = await enrollTotp(b, clock)
    expect(secret).not.toBe(alice.secret)
    await b.post('/auth/logout')
    await b.fetchCsrf()
    expect((await b.login('alice@example.com', 'alice-password')).body).toEqual(mfaRequired)
  })

  it('a remembered device is no factor for changing factors: removing TOTP, new recovery codes or a passkey need a step-up first', async () => {
    const { app, clock, alice } = await rememberApp()
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    await b.post('/auth/logout')
    await b.fetchCsrf()
    await signInSkipping(b) // fresh, but the password only: someone who has it and this browser
    for (const attempt of [() => b.delete('/auth/mfa/totp'), () => b.post('/auth/mfa/recovery-codes'), () => b.post('/auth/passkeys/register/options')]) {
      const refused = await attempt()
      expect(refused.status).toBe(401)
      expect(problemType(refused)).toBe('https://acme.dev/problems/mfa-required')
    }
    expect((await b.get('/auth/mfa')).body).toMatchObject({ totp: true, recoveryCodes: 10 })

    clock.advance(30_000)
    const stepUp = await b.post('/auth/mfa/step-up', { method: 'totp', code: createTotpCode(alice.secret, clock) })
    expect(stepUp.status).toBe(200)
    b.csrf = (stepUp.body as { csrfToken: string }).csrfToken
    expect((await b.delete('/auth/mfa/totp')).status).toBe(204)
  })

  it('a forged cookie value is challenged and cleared', async () => {
    const { app, clock, alice } = await rememberApp()
    const b = browser(app)
    await rememberedBrowser(b, alice.secret, clock)
    await b.post('/auth/logout')
    const [id, secret] = b.cookie(device)!.split('.') as [string, string]
    for (const forged of [`${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, 'garbage', `${id}`]) {
      b.jar.set(device, { value: forged, path: '/' })
      await b.fetchCsrf()
      const res = await b.login('alice@example.com', 'alice-password')
      expect(res.body).toEqual(mfaRequired)
      expect(cleared(res)).toBe(true)
      expect(b.cookie(device)).toBeUndefined()
    }
  })
})

describe('rememberDevice is off by default', () => {
  it('rememberDevice: true sets no cookie, and GET /auth/mfa/devices is 404', async () => {
    const { app, clock } = await createMfaApp()
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: true })
    expect(verified.status).toBe(200)
    expect(cookieLine(verified, device)).toBeUndefined()
    expect((await b.get('/auth/mfa/devices')).status).toBe(404)
  })

  it('refuses days out of range at construction and a non-boolean flag with 400; days sets the Max-Age', async () => {
    await expect(createMfaApp({ secondFactors: { rememberDevice: { days: 0 } } })).rejects.toThrow(/rememberDevice/)
    await expect(createMfaApp({ secondFactors: { rememberDevice: { days: 400 } } })).rejects.toThrow(/rememberDevice/)
    await expect(createMfaApp({ secondFactors: { rememberDevice: { ttl: 3 } as never } })).rejects.toThrow(/rememberDevice/)
    const { app, clock } = await createMfaApp({ factorStore: new MemorySecondFactorStore(), secondFactors: { rememberDevice: { days: 7 } } })
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const bad = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: 'yes' })
    expect(bad.status).toBe(400)
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: true })
    expect(cookieLine(verified, device)).toMatch(/Max-Age=604800/i)
  })
})
