import type { MemoryOneTimeTokenStore } from '@acme/auth-core'
import { createTestClock } from '@acme/auth-testing'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, origin } from '../../test/fixtures.js'
import { createOAuth } from './create-oauth.js'
import { resolveOAuthConfig } from './oauth-config.js'
import type { OAuthOptions } from './oauth-options.js'
import { browser, codeOf, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

let bed: OAuthTestBed | undefined
afterEach(async () => {
  await bed?.stop()
  bed = undefined
})

const expectRateLimited = (res: request.Response, retryAfter: number) => {
  expect(res.status).toBe(429)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests' })
  expect(res.headers['retry-after']).toBe(String(retryAfter))
}

describe('GET /auth/oauth/:provider (anonymous sign-in starts) is bounded', () => {
  it('per IP by default: the 61st start in a minute is 429 with Retry-After; other IPs are not limited; the clock lifts it', async () => {
    const clock = createTestClock()
    bed = await startOAuthTestBed({ clock })
    bed.app.set('trust proxy', true)
    const start = (ip: string) => request(bed!.app).get('/auth/oauth/demo').set('x-forwarded-for', ip)
    for (let i = 0; i < 60; i++) expect((await start('203.0.113.5')).status).toBe(302)
    expectRateLimited(await start('203.0.113.5'), 60)
    expect((await start('203.0.113.6')).status).toBe(302)
    clock.advance(60_000)
    expect((await start('203.0.113.5')).status).toBe(302)
  })

  it('limits: { start } sets the budget, and limits: false turns the per-IP limit off', async () => {
    bed = await startOAuthTestBed({ limits: { start: { maxRequests: 2, windowSeconds: 30 } } })
    for (let i = 0; i < 2; i++) expect((await request(bed.app).get('/auth/oauth/demo')).status).toBe(302)
    expectRateLimited(await request(bed.app).get('/auth/oauth/demo'), 30)
    await bed.stop()
    bed = await startOAuthTestBed({ limits: false })
    for (let i = 0; i < 70; i++) expect((await request(bed.app).get('/auth/oauth/demo')).status).toBe(302)
  })

  it('keeps at most maxPendingTransactions: the oldest pending sign-in is evicted first, the newest still completes', async () => {
    bed = await startOAuthTestBed({ limits: { maxPendingTransactions: 2 } })
    const first = browser(bed.app)
    const firstStart = await first.get('/auth/oauth/demo?returnTo=/notes')
    expect(firstStart.status).toBe(302)
    // Two more anonymous starts (a flood, in the small) fill the store.
    for (let i = 0; i < 2; i++) expect((await request(bed.app).get('/auth/oauth/demo')).status).toBe(302)
    const callback = await bed.idp.login(firstStart.headers.location as string, { account: 'alice-sub' })
    const evicted = await first.get(`${callback.pathname}${callback.search}`)
    expect(evicted.status).toBe(400)
    expect(codeOf(evicted)).toBe('ERR_OAUTH_STATE_REPLAYED')
    expect(first.cookie('__Host-sid')).toBeUndefined()

    const latest = browser(bed.app)
    const { res } = await signInWithProvider(bed, latest)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes')
  })

  it('the default memory transaction store holds at most 10000 pending sign-ins', () => {
    const config = resolveOAuthConfig({
      providers: { corp: { issuer: 'https://login.example.com', clientId: 'app' } },
      users: { findOrCreate: () => Promise.resolve(null) },
      secret: 'oauth-test-secret-that-is-long-enough-0123456789',
      http: { origin },
      limits: false, // the cap is not a rate limit: it stays
    })
    const store = config.transactions as MemoryOneTimeTokenStore
    for (let i = 0; i < 10_050; i++) void store.save({ id: `t${i}`, userId: 'corp', purpose: 'oauth_tx', secretHash: 'h', expiresAt: 600_000 }, 0)
    expect(store.size).toBe(10_000)
    expect(store.snapshot()[0]?.id).toBe('t50')
  })

  it.each<[string, OAuthOptions['limits'], RegExp]>([
    ['a zero cap', { maxPendingTransactions: 0 }, /options\.limits\.maxPendingTransactions/],
    ['a negative budget', { start: { maxRequests: -1 } }, /options\.limits\.start/],
    ['a string', 'on' as never, /options\.limits/],
  ])('refuses %s in limits with a TypeError naming the option', async (_name, limits, message) => {
    const { auth } = await createTestApp()
    const options: OAuthOptions = {
      providers: { corp: { issuer: 'https://login.example.com', clientId: 'app' } },
      users: { findOrCreate: () => Promise.resolve(null) },
      secret: 'oauth-test-secret-that-is-long-enough-0123456789',
      http: { origin },
      limits,
    }
    expect(() => createOAuth(auth, options)).toThrow(message)
  })
})
