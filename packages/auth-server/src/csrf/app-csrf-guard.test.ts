import { createTestClock } from '@acme/auth-testing'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, type TestAppOptions } from '../../test/fixtures.js'
import { problemErrorHandler, requireAuth } from '../index.js'

/** An app with a route of its own behind `requireAuth()` and `auth.csrf()`, wired as the README shows. */
async function appWithOwnRoutes(options: TestAppOptions & { appMiddleware?: boolean } = {}) {
  const { auth } = await createTestApp(options)
  const handled: string[] = []
  const app = express()
  if (options.appMiddleware !== false) app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.post('/notes', requireAuth(), auth.csrf(), (req, res) => {
    handled.push(req.auth!.user.id)
    res.json({ ok: true })
  })
  // Open to anyone, still CSRF-protected (the token is bound to whatever session the request has).
  app.post('/feedback', auth.csrf(), (_req, res) => {
    res.status(204).end()
  })
  app.get('/notes', auth.csrf(), (_req, res) => {
    res.json([])
  })
  app.use('/admin', auth.csrf(), express.Router().delete('/users/:id', (_req, res) => void res.status(204).end()))
  app.use(problemErrorHandler())
  const alice = browser(app)
  await alice.login('alice@example.com', 'alice-password')
  return { app, auth, alice, handled }
}

const expectCsrfRefusal = (res: request.Response, reason: string) => {
  expect(res.status).toBe(403)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({ type: 'https://acme.dev/problems/csrf', detail: `CSRF check failed: ${reason}.` })
}

describe('auth.csrf() on the app’s own routes', () => {
  it('refuses a POST from a foreign origin with Sec-Fetch-Site: cross-site, before the handler runs', async () => {
    const { alice, handled } = await appWithOwnRoutes()
    const res = await alice.raw('post', '/notes').set('origin', 'https://evil.example').set('sec-fetch-site', 'cross-site')
    expectCsrfRefusal(res, 'cross-site')
    expectCsrfRefusal(await alice.raw('post', '/notes').set('origin', 'https://evil.example'), 'origin-mismatch')
    expect(handled).toEqual([])
  })

  it('accepts the session’s token from our origin', async () => {
    const { alice, handled } = await appWithOwnRoutes()
    const res = await alice.post('/notes', { text: 'hi' })
    expect(res.status).toBe(200)
    expect(handled).toEqual(['u-alice'])
  })

  it('applies the same rules as /auth/*: missing header, header ≠ cookie, token of no session, no Origin', async () => {
    const { app, alice, handled } = await appWithOwnRoutes()
    expectCsrfRefusal(await alice.raw('post', '/notes').unset('x-csrf-token'), 'missing-token')
    const stranger = browser(app)
    const foreign = await stranger.fetchCsrf()
    expectCsrfRefusal(await alice.raw('post', '/notes').set('x-csrf-token', foreign), 'token-mismatch')
    // Cookie and header agree, but the token was minted before sign-in (a planted cookie): not bound to this session.
    const res = await request(app)
      .post('/notes')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${alice.cookie('__Host-sid')!}; __Host-csrf=${foreign}`)
      .set('x-csrf-token', foreign)
    expectCsrfRefusal(res, 'token-invalid')
    expectCsrfRefusal(await alice.raw('post', '/notes').unset('origin'), 'origin-missing')
    expect(handled).toEqual([])
  })

  it('lets safe methods through without a token, and guards a whole router', async () => {
    const { app, alice } = await appWithOwnRoutes()
    expect((await request(app).get('/notes').set('origin', 'https://evil.example')).status).toBe(200)
    expectCsrfRefusal(await request(app).delete('/admin/users/u-bob').set('origin', 'https://evil.example'), 'origin-mismatch')
    expect((await alice.delete('/admin/users/u-bob')).status).toBe(204)
  })

  it('works without app-level auth.middleware(): it authenticates the request to find the binding', async () => {
    const { app, alice } = await appWithOwnRoutes({ appMiddleware: false })
    // Alice's token is bound to her session: checked against "no session" it would be token-invalid.
    expect((await alice.post('/feedback', {})).status).toBe(204)
    expectCsrfRefusal(await alice.raw('post', '/feedback').set('origin', 'https://evil.example'), 'origin-mismatch')
    const anonymous = browser(app)
    await anonymous.fetchCsrf()
    expect((await anonymous.post('/feedback', {})).status).toBe(204)
  })

  it('on the token strategy, binds to the session of the access cookie', async () => {
    const { alice, handled } = await appWithOwnRoutes({ strategy: 'token' })
    expect(alice.cookie('__Host-access')).toBeDefined()
    expect((await alice.post('/notes', {})).status).toBe(200)
    expectCsrfRefusal(await alice.raw('post', '/notes').set('sec-fetch-site', 'cross-site'), 'cross-site')
    expect(handled).toEqual(['u-alice'])
  })
})

describe('GET /auth/csrf binds to what the next unsafe request is checked against', () => {
  it('token strategy, access cookie expired but still sent: the token it hands out is accepted by POST /auth/refresh', async () => {
    const clock = createTestClock(Date.now())
    const { app } = await createTestApp({ strategy: 'token', clock })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    clock.advance(11 * 60_000)
    expect((await alice.get('/api/me')).status).toBe(401)
    // A client that lost the session's token (a page rendered signed out) asks for one.
    alice.jar.delete('__Host-csrf')
    await alice.fetchCsrf()
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    expect((await alice.get('/api/me')).status).toBe(200)
  })
})
