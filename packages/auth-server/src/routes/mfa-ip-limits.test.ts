// Per-IP limits of the second-factor sign-in routes, on top of the per-user code limits: one
// place guessing codes for many users' pending sign-ins, or asking for passkey challenges, is
// refused with 429 and Retry-After. The IP is Express's `req.ip` (the `trust proxy` setting).
import { createTotpCode } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { browser } from '../../test/fixtures.js'
import { createMfaApp, enrolledUser } from '../../test/mfa-helpers.js'

const perIp = { maxRequests: 3, windowSeconds: 60 }

describe('per-IP limits of the second-factor routes', () => {
  it('POST /mfa/verify: a second user from the same IP is refused once the IP spent its budget, whatever the code', async () => {
    const { app, clock } = await createMfaApp({ secondFactors: { limits: { maxAttempts: 100, perIp } } })
    await enrolledUser(app, clock)
    const bob = await enrolledUser(app, clock, 'bob@example.com', 'bob-password')
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    for (let i = 0; i < 3; i++) expect((await alice.post('/auth/mfa/verify', { method: 'totp', code: '000000' })).status).toBe(401)
    const b = browser(app)
    await b.login('bob@example.com', 'bob-password')
    const limited = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(bob.secret, clock) })
    expect(limited.status).toBe(429)
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60)
    // Without trust proxy, a forged X-Forwarded-For is not another IP.
    expect((await b.post('/auth/mfa/verify', { method: 'totp', code: '000000' }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429)
    clock.advance(61_000)
    const again = browser(app)
    await again.login('bob@example.com', 'bob-password')
    expect((await again.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(bob.secret, clock) })).status).toBe(200)
  })

  it('counts per client IP behind a trusted proxy: another IP keeps its own budget', async () => {
    const { app, clock } = await createMfaApp({ secondFactors: { limits: { maxAttempts: 100, perIp } } })
    app.set('trust proxy', true)
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const from = (ip: string) => ({ 'x-forwarded-for': ip })
    for (let i = 0; i < 3; i++) expect((await b.post('/auth/mfa/verify', { method: 'totp', code: '000000' }, from('198.51.100.1'))).status).toBe(401)
    expect((await b.post('/auth/mfa/verify', { method: 'totp', code: '000000' }, from('198.51.100.1'))).status).toBe(429)
    expect((await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock) }, from('198.51.100.2'))).status).toBe(200)
  })

  it('POST /passkeys/login/options and POST /passkeys/login: 429 with Retry-After past the budget, each route on its own', async () => {
    const { app } = await createMfaApp({ secondFactors: { limits: { perIp } } })
    const b = browser(app)
    await b.fetchCsrf()
    for (let i = 0; i < 3; i++) expect((await b.post('/auth/passkeys/login/options')).status).toBe(200)
    const options = await b.post('/auth/passkeys/login/options')
    expect(options.status).toBe(429)
    expect(Number(options.headers['retry-after'])).toBeGreaterThan(0)
    // The assertion route has its own budget: bad bodies count too.
    for (let i = 0; i < 3; i++) expect((await b.post('/auth/passkeys/login', { id: 'x' })).status).toBe(400)
    const login = await b.post('/auth/passkeys/login', { id: 'x' })
    expect(login.status).toBe(429)
    expect(Number(login.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('perIp: false turns the IP limit off (the per-user limit stays)', async () => {
    const { app } = await createMfaApp({ secondFactors: { limits: { perIp: false } } })
    const b = browser(app)
    await b.fetchCsrf()
    for (let i = 0; i < 40; i++) expect((await b.post('/auth/passkeys/login/options')).status).toBe(200)
  })
})
