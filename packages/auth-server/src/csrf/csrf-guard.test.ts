import fc from 'fast-check'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, secret } from '../../test/fixtures.js'
import { createCsrf } from './csrf.js'

async function signedIn() {
  const { app } = await createTestApp()
  const client = browser(app)
  await client.login('alice@example.com', 'alice-password')
  return { app, client }
}

const expectCsrfRefusal = (res: request.Response, reason: string) => {
  expect(res.status).toBe(403)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({ type: 'https://acme.dev/problems/csrf', detail: `CSRF check failed: ${reason}.` })
}

describe('CSRF on unsafe methods', () => {
  it('accepts the double-submitted token from our origin', async () => {
    const { client } = await signedIn()
    expect((await client.post('/auth/logout')).status).toBe(204)
  })

  it('refuses a missing header', async () => {
    const { client } = await signedIn()
    const res = await client.raw('post', '/auth/logout').unset('x-csrf-token')
    expectCsrfRefusal(res, 'missing-token')
  })

  it('refuses a header that differs from the cookie', async () => {
    const { client } = await signedIn()
    const other = createCsrf(Buffer.from(secret), new Set([origin])).issue('')
    expectCsrfRefusal(await client.raw('post', '/auth/logout').set('x-csrf-token', other), 'token-mismatch')
  })

  it('refuses a token minted for another session (or before sign-in), even when cookie and header agree', async () => {
    const { app, client } = await signedIn()
    const anonymous = await request(app).get('/auth/csrf')
    const preLogin = (anonymous.body as { csrfToken: string }).csrfToken
    const sid = client.cookie('__Host-sid')!
    const res = await request(app)
      .post('/auth/logout')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${sid}; __Host-csrf=${preLogin}`)
      .set('x-csrf-token', preLogin)
    expectCsrfRefusal(res, 'token-invalid')
  })

  it('refuses a forged token (right shape, wrong HMAC)', async () => {
    const { app, client } = await signedIn()
    const forged = `${'A'.repeat(22)}.${'B'.repeat(43)}`
    const res = await request(app)
      .post('/auth/logout')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${client.cookie('__Host-sid')!}; __Host-csrf=${forged}`)
      .set('x-csrf-token', forged)
    expectCsrfRefusal(res, 'token-invalid')
  })

  it('refuses a foreign Origin, a "null" Origin, and a request with neither Origin nor Referer', async () => {
    const { client } = await signedIn()
    expectCsrfRefusal(await client.raw('post', '/auth/logout').set('origin', 'https://evil.example'), 'origin-mismatch')
    expectCsrfRefusal(await client.raw('post', '/auth/logout').set('origin', 'null'), 'origin-mismatch')
    expectCsrfRefusal(await client.raw('post', '/auth/logout').set('origin', 'https://app.example.com.evil.example'), 'origin-mismatch')
    expectCsrfRefusal(await client.raw('post', '/auth/logout').unset('origin'), 'origin-missing')
  })

  it('falls back to Referer when Origin is absent', async () => {
    const { client } = await signedIn()
    expect((await client.raw('post', '/auth/logout').unset('origin').set('referer', `${origin}/account`)).status).toBe(204)
    const { client: other } = await signedIn()
    expectCsrfRefusal(await other.raw('post', '/auth/logout').unset('origin').set('referer', 'https://evil.example/x'), 'origin-mismatch')
  })

  it('refuses Sec-Fetch-Site: cross-site even with a valid token and origin', async () => {
    const { client } = await signedIn()
    expectCsrfRefusal(await client.raw('post', '/auth/logout').set('sec-fetch-site', 'cross-site'), 'cross-site')
  })

  it('refuses a duplicated CSRF cookie', async () => {
    const { app, client } = await signedIn()
    const res = await request(app)
      .post('/auth/logout')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${client.cookie('__Host-sid')!}; __Host-csrf=${client.csrf}; __Host-csrf=${client.csrf}`)
      .set('x-csrf-token', client.csrf)
    expect(res.status).toBe(403)
  })

  it('applies to DELETE too', async () => {
    const { client } = await signedIn()
    const res = await client.raw('delete', `/auth/sessions/${'a'.repeat(24)}`).unset('x-csrf-token')
    expectCsrfRefusal(res, 'missing-token')
  })
})

describe('createCsrf', () => {
  const csrf = createCsrf(Buffer.from(secret), new Set([origin]))

  it('verifies its own tokens for their binding only', () => {
    const token = csrf.issue('session-1')
    expect(csrf.verify(token, 'session-1')).toBe(true)
    expect(csrf.verify(token, 'session-2')).toBe(false)
    expect(csrf.verify(token, '')).toBe(false)
  })

  it('never accepts an arbitrary string, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (candidate) => {
        expect(csrf.verify(candidate, '')).toBe(false)
      }),
      { numRuns: 3000 },
    )
  })
})
