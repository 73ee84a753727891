import { createLoginLimiter } from '@acme/auth-core'
import { createTestClock } from '@acme/auth-testing'
import type { Express } from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin } from '../../test/fixtures.js'

/** The app trusts X-Forwarded-For, so a test can speak from several IPs. */
const fromIps = (app: Express) => {
  app.set('trust proxy', true)
  return app
}
/** A fresh browser signing in from `ip`. */
const login = async (app: Express, ip: string, email: string, password: string) => {
  const headers = { 'x-forwarded-for': ip }
  const client = browser(app)
  client.csrf = ((await client.get('/auth/csrf', headers)).body as { csrfToken: string }).csrfToken
  return client.post('/auth/login', { email, password }, headers)
}

const expectRateLimited = (res: request.Response, retryAfter?: number) => {
  expect(res.status).toBe(429)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests' })
  if (retryAfter === undefined) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  else expect(res.headers['retry-after']).toBe(String(retryAfter))
}

describe('brute-force limits of POST /auth/login are on by default', () => {
  it('without any limits option, the 11th failure for one account from one IP is 429 with Retry-After', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    for (let i = 0; i < 10; i++) expect((await client.login('alice@example.com', 'wrong-password')).status).toBe(401)
    expectRateLimited(await client.login('alice@example.com', 'alice-password'), 900)
  })

  it("an attacker's failures from one IP never lock the account owner out of her own IP; the block lifts by the clock", async () => {
    const clock = createTestClock()
    const { app } = await createTestApp({ limits: { clock } })
    fromIps(app)
    const attacker = '203.0.113.66'
    for (let i = 0; i < 10; i++) expect((await login(app, attacker, 'alice@example.com', 'guess-' + i)).status).toBe(401)
    expectRateLimited(await login(app, attacker, 'alice@example.com', 'guess-10'), 900)
    // Alice, from her own IP, is not locked out (before the fix: the account was locked for 15 minutes).
    expect((await login(app, '198.51.100.7', 'alice@example.com', 'alice-password')).status).toBe(200)
    // Nor is anyone else from the attacker's IP.
    expect((await login(app, attacker, 'bob@example.com', 'bob-password')).status).toBe(200)
    clock.advance(900_000)
    expect((await login(app, attacker, 'alice@example.com', 'guess-11')).status).toBe(401)
  })

  it('per IP across accounts: a password spray from one IP is stopped for a day', async () => {
    const clock = createTestClock()
    const { app } = await createTestApp({ limits: { clock, login: { ip: { maxAttempts: 20 } } } })
    fromIps(app)
    const sprayer = '203.0.113.77'
    for (let i = 0; i < 20; i++) expect((await login(app, sprayer, `user${i}@example.com`, 'Summer2024!')).status).toBe(401)
    expectRateLimited(await login(app, sprayer, 'bob@example.com', 'bob-password'), 86_400)
    expect((await login(app, '198.51.100.8', 'bob@example.com', 'bob-password')).status).toBe(200)
  })

  it('limits: false turns them off', async () => {
    const { app } = await createTestApp({ limits: false })
    const client = browser(app)
    for (let i = 0; i < 15; i++) expect((await client.login('alice@example.com', 'wrong-password')).status).toBe(401)
  })

  it('refuses a bad limits option with a TypeError naming it', async () => {
    await expect(createTestApp({ limits: { tokenRoutes: { maxRequests: 0 } } })).rejects.toThrow(/options\.http\.limits/)
    await expect(createTestApp({ limits: { login: { ipAccount: { maxAttempts: -1 } } } })).rejects.toThrow(
      /options\.http\.limits\.login\.ipAccount\.maxAttempts/,
    )
    await expect(createTestApp({ limits: 'on' as never })).rejects.toThrow(/options\.http\.limits/)
    const limiter = createLoginLimiter({ store: 'memory' })
    await expect(createTestApp({ limiter, limits: { login: limiter } })).rejects.toThrow(/http\.limiter and options\.http\.limits\.login/)
  })

  it('limits.login takes a LoginLimiter of your own', async () => {
    const { app } = await createTestApp({ limits: { login: createLoginLimiter({ store: 'memory', ipAccount: { maxAttempts: 2, blockSeconds: 120 } }) } })
    const client = browser(app)
    for (let i = 0; i < 2; i++) expect((await client.login('alice@example.com', 'wrong-password')).status).toBe(401)
    expectRateLimited(await client.login('alice@example.com', 'alice-password'), 120)
  })
})

describe('per-IP limits of POST /auth/refresh, /auth/token and /auth/revoke', () => {
  it('POST /auth/refresh: on by default (60 a minute per IP), 429 with Retry-After, per IP, lifted by the clock', async () => {
    const clock = createTestClock()
    const { app } = await createTestApp({ strategy: 'token', clock, limits: { clock } })
    fromIps(app)
    const refresh = (ip: string) => request(app).post('/auth/refresh').set('origin', origin).set('x-forwarded-for', ip)
    for (let i = 0; i < 60; i++) expect((await refresh('203.0.113.5')).status).not.toBe(429)
    expectRateLimited(await refresh('203.0.113.5'), 60)
    expect((await refresh('203.0.113.6')).status).not.toBe(429)
    clock.advance(60_000)
    expect((await refresh('203.0.113.5')).status).not.toBe(429)
  })

  it('POST /auth/token: the N+1th request is 429, whatever the token', async () => {
    const { app } = await createTestApp({ nativeClients: true, limits: { tokenRoutes: { maxRequests: 3 } } })
    const token = () => request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'not-a-token' })
    for (let i = 0; i < 3; i++) expect((await token()).status).toBe(401)
    expectRateLimited(await token(), 60)
  })

  it('POST /auth/revoke: the N+1th request is 429, answered before any route', async () => {
    const { app } = await createTestApp({ nativeClients: true, limits: { tokenRoutes: { maxRequests: 3, windowSeconds: 30 } } })
    const revoke = () => request(app).post('/auth/revoke').type('form').send({ token: 'not-a-token' })
    for (let i = 0; i < 3; i++) expect((await revoke()).status).not.toBe(429)
    expectRateLimited(await revoke(), 30)
  })

  it('each route has its own budget, and other routes have none of these limits', async () => {
    const { app } = await createTestApp({ nativeClients: true, limits: { tokenRoutes: { maxRequests: 2 } } })
    for (let i = 0; i < 2; i++) await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' })
    expectRateLimited(await request(app).post('/AUTH/TOKEN/').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' }))
    expect((await request(app).post('/auth/revoke').type('form').send({ token: 'x' })).status).not.toBe(429)
    for (let i = 0; i < 5; i++) expect((await request(app).get('/auth/session')).status).toBe(200)
  })

  it('tokenRoutes: false (or limits: false) turns them off', async () => {
    for (const limits of [{ tokenRoutes: false as const }, false as const]) {
      const { app } = await createTestApp({ nativeClients: true, limits })
      for (let i = 0; i < 70; i++) {
        expect((await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(401)
      }
    }
  })
})
