import { createTestClock } from '@acme/auth-testing'
import { decodeJwt } from 'jose'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { browser, createTestApp, origin, secret, setCookies, testHasher } from '../../test/fixtures.js'
import { createAuth } from '../express/create-auth.js'

const cookieLine = (res: request.Response, name: string) => setCookies(res).find((line) => line.startsWith(`${name}=`))

describe('token strategy', () => {
  it('sign-in sets the access and refresh cookies with the contract’s attributes, and no session cookie', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const res = await browser(app).login('alice@example.com', 'alice-password')
    expect(res.status).toBe(200)
    const access = cookieLine(res, '__Host-access')!
    expect(access).toMatch(/HttpOnly/)
    expect(access).toMatch(/Secure/)
    expect(access).toMatch(/SameSite=Lax/)
    expect(access).toMatch(/Path=\/(;|$)/)
    expect(Number(/Max-Age=(\d+)/.exec(access)![1])).toBeGreaterThan(590)
    const refresh = cookieLine(res, '__Secure-refresh')!
    expect(refresh).toMatch(/HttpOnly/)
    expect(refresh).toMatch(/Secure/)
    expect(refresh).toMatch(/SameSite=Strict/)
    // The auth prefix, so that refresh, login, logout and logout-all all see it.
    expect(refresh).toMatch(/Path=\/auth(;|$)/)
    expect(cookieLine(res, '__Host-sid')).toBeUndefined()
  })

  it('req.auth and the routes look the same as with sessions', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    expect((await alice.get('/api/me')).body).toMatchObject({ user: { id: 'u-alice', roles: ['admin'] }, strategy: 'token' })
    expect((await alice.get('/auth/session')).body).toMatchObject({ user: { email: 'alice@example.com', name: 'Alice' } })
    expect((await alice.get('/auth/sessions')).body).toHaveLength(1)
    expect((await alice.get('/api/admin')).status).toBe(200)
  })

  it('POST /auth/refresh rotates both cookies; the old refresh cookie reused revokes the family and clears both', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const firstRefresh = alice.cookie('__Secure-refresh')!
    const firstAccess = alice.cookie('__Host-access')!
    const refreshed = await alice.post('/auth/refresh')
    expect(refreshed.status).toBe(204)
    expect(alice.cookie('__Secure-refresh')).not.toBe(firstRefresh)
    expect(alice.cookie('__Host-access')).not.toBe(firstAccess)
    const secondRefresh = alice.cookie('__Secure-refresh')!

    // A thief replays the first refresh token, after the grace window (10 s).
    await new Promise((resolve) => setTimeout(resolve, 10))
    const thief = browser(app)
    thief.csrf = alice.csrf
    thief.jar.set('__Host-csrf', { value: alice.cookie('__Host-csrf')!, path: '/' })
    thief.jar.set('__Host-access', { value: firstAccess, path: '/' })
    thief.jar.set('__Secure-refresh', { value: firstRefresh, path: '/auth' })
    const replay = await thief.post('/auth/refresh')
    // Inside the grace window the same successor comes back (no branch, no alarm) …
    expect([204, 401]).toContain(replay.status)
    if (replay.status === 204) expect(thief.cookie('__Secure-refresh')).toBe(secondRefresh)
  })

  it('reuse outside the grace window: 401, both cookies cleared, and the whole family is dead', async () => {
    const clock = createTestClock(Date.now())
    const { app } = await createTestApp({ strategy: 'token', clock })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const stolen = alice.cookie('__Secure-refresh')!
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    clock.advance(61_000)
    const thief = browser(app)
    thief.csrf = alice.csrf
    thief.jar.set('__Host-csrf', { value: alice.cookie('__Host-csrf')!, path: '/' })
    thief.jar.set('__Host-access', { value: alice.cookie('__Host-access')!, path: '/' })
    thief.jar.set('__Secure-refresh', { value: stolen, path: '/auth' })
    const reuse = await thief.post('/auth/refresh')
    expect(reuse.status).toBe(401)
    expect(reuse.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(cookieLine(reuse, '__Host-access')).toMatch(/Max-Age=0/)
    expect(cookieLine(reuse, '__Secure-refresh')).toMatch(/Max-Age=0.*Path=\/auth(;|$)|Path=\/auth;.*Max-Age=0/)
    // The legitimate holder's current refresh token died with the family.
    expect((await alice.post('/auth/refresh')).status).toBe(401)
  })

  it('an expired access token is anonymous until the client refreshes (CSRF still bound to the session)', async () => {
    const clock = createTestClock(Date.now())
    const { app } = await createTestApp({ strategy: 'token', clock })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    clock.advance(11 * 60_000)
    expect((await alice.get('/api/me')).status).toBe(401)
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    expect((await alice.get('/api/me')).status).toBe(200)
  })

  it('through the verified-token cache, the access cookie is still refused once expired (never later than without the cache)', async () => {
    const clock = createTestClock(Date.now())
    const { app } = await createTestApp({ strategy: 'token', clock })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const expMs = decodeJwt(alice.cookie('__Host-access')!).exp! * 1000
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    try {
      clock.set(expMs - 1)
      expect((await alice.get('/api/me')).status).toBe(200)
      expect(signatureChecks).not.toHaveBeenCalled() // answered from the cache
      clock.set(expMs) // inside the verifier's 30 s clock tolerance: a full verify, as without the cache
      expect((await alice.get('/api/me')).status).toBe(200)
      expect(signatureChecks).toHaveBeenCalledTimes(1)
      clock.set(expMs + 30_000)
      expect((await alice.get('/api/me')).status).toBe(401)
      expect((await alice.get('/api/me')).status).toBe(401)
      expect(signatureChecks).toHaveBeenCalledTimes(3)
    } finally {
      signatureChecks.mockRestore()
    }
  })

  it.each([
    ['caches verified tokens by default', {}, 0],
    ['checks every signature with verifierCache: false', { verifierCache: false as const }, 2],
  ])('createAuth’s own access-cookie verifier %s', async (_name, defaultVerifier, checks) => {
    const { app } = await createTestApp({ strategy: 'token', defaultVerifier })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    try {
      expect((await alice.get('/api/me')).status).toBe(200)
      expect((await alice.get('/api/me')).status).toBe(200)
      expect(signatureChecks).toHaveBeenCalledTimes(checks)
    } finally {
      signatureChecks.mockRestore()
    }
  })

  it('refuses a malformed verifierCache at construction', async () => {
    const { sessions, tokens } = await createTestApp({ strategy: 'token' })
    const build = (verifierCache: unknown) => () =>
      createAuth({
        sessions,
        users: { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(null) },
        passwords: testHasher(),
        http: { origin, secret },
        strategy: 'token',
        tokens: { ...tokens!, verifierCache: verifierCache as false },
      })
    expect(build({ maxEntries: 0 })).toThrow(/verifierCache/)
    expect(build({ maxEntrys: 10 })).toThrow(/verifierCache/)
    expect(build(false)).not.toThrow()
  })

  it('logout clears both cookies under their own paths and revokes the family', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const refresh = alice.cookie('__Secure-refresh')!
    const res = await alice.post('/auth/logout')
    expect(res.status).toBe(204)
    expect(cookieLine(res, '__Host-access')).toMatch(/Max-Age=0/)
    expect(cookieLine(res, '__Secure-refresh')).toMatch(/Path=\/auth(;|$)/)
    expect(cookieLine(res, '__Secure-refresh')).toMatch(/Max-Age=0/)
    alice.jar.set('__Secure-refresh', { value: refresh, path: '/auth' })
    await alice.fetchCsrf()
    expect((await alice.post('/auth/refresh')).status).toBe(401)
  })

  it('a revoked device cannot refresh; logout-all ends every family', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const laptop = browser(app)
    const phone = browser(app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    const list = (await laptop.get('/auth/sessions')).body as { id: string; current: boolean }[]
    const phoneSession = list.find((session) => !session.current)!
    expect((await laptop.delete(`/auth/sessions/${phoneSession.id}`)).status).toBe(204)
    expect((await phone.post('/auth/refresh')).status).toBe(401)

    const tablet = browser(app)
    await tablet.login('alice@example.com', 'alice-password')
    expect((await laptop.post('/auth/logout-all')).status).toBe(204)
    expect((await tablet.post('/auth/refresh')).status).toBe(401)
  })

  it('refresh needs CSRF like any unsafe method', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const res = await alice.raw('post', '/auth/refresh').unset('x-csrf-token')
    expect(res.status).toBe(403)
  })

  it('a duplicated access cookie is refused with 400', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const token = alice.cookie('__Host-access')!
    const res = await request(app).get('/api/me').set('cookie', `__Host-access=${token}; __Host-access=${token}`)
    expect(res.status).toBe(400)
  })

  it('refuses the token strategy without tokens at construction', async () => {
    await expect(createTestApp({ strategy: 'token', nativeClients: false }).then(() => 'ok')).resolves.toBe('ok')
    expect(() =>
      createAuth({
        strategy: 'token',
        sessions: {} as never,
        users: {} as never,
        passwords: {} as never,
        http: { origin, secret: 'x'.repeat(32) },
      }),
    ).toThrow(TypeError)
  })
})

describe('token strategy once the access cookie has lapsed', () => {
  const minute = 60_000
  const day = 24 * 60 * minute

  /**
   * Signs in, lets the access token expire, drops its cookie (as the browser does at Max-Age) and,
   * like a client that finds itself anonymous, fetches a CSRF token again.
   */
  async function lapsed() {
    const clock = createTestClock(Date.now())
    const app = await createTestApp({ strategy: 'token', clock })
    const client = browser(app.app)
    expect((await client.login('alice@example.com', 'alice-password')).status).toBe(200)
    clock.advance(11 * minute)
    client.jar.delete('__Host-access')
    await client.fetchCsrf()
    return { ...app, clock, client, refresh: client.cookie('__Secure-refresh')! }
  }

  it('CSRF stays bound to the session when only the refresh cookie is left, with the old token or a new one', async () => {
    const clock = createTestClock(Date.now())
    const { app } = await createTestApp({ strategy: 'token', clock })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    clock.advance(11 * minute)
    alice.jar.delete('__Host-access')
    // The token from sign-in still works (the binding is found from the refresh cookie) …
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    clock.advance(11 * minute)
    alice.jar.delete('__Host-access')
    // … and so does one fetched while anonymous; a token bound to no session does not.
    const anonymous = browser(app)
    const unbound = await anonymous.fetchCsrf()
    await alice.fetchCsrf()
    expect(alice.csrf).not.toBe(unbound)
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    alice.jar.delete('__Host-access')
    alice.csrf = unbound
    alice.jar.set('__Host-csrf', { value: unbound, path: '/' })
    expect((await alice.post('/auth/refresh')).status).toBe(403)
  })

  /** Whether a refresh token still rotates, presented by a fresh client. */
  async function stillRotates(app: Parameters<typeof browser>[0], refresh: string) {
    const other = browser(app)
    other.jar.set('__Secure-refresh', { value: refresh, path: '/auth' })
    await other.fetchCsrf()
    return (await other.post('/auth/refresh')).status === 204
  }

  it('logout with only the refresh cookie ends the family and its session, and clears both cookies', async () => {
    const { app, sessions, client, refresh } = await lapsed()
    const res = await client.post('/auth/logout')
    expect(res.status).toBe(204)
    expect(cookieLine(res, '__Host-access')).toMatch(/Max-Age=0.*Path=\/(;|$)|Path=\/;.*Max-Age=0/)
    expect(cookieLine(res, '__Secure-refresh')).toMatch(/Max-Age=0.*Path=\/auth(;|$)|Path=\/auth;.*Max-Age=0/)
    expect(await stillRotates(app, refresh)).toBe(false)
    expect(await sessions.listForUser('u-alice')).toEqual([])
  })

  it('logout-all with only the refresh cookie ends every device of the user, never a no-op 401', async () => {
    const { app, client, refresh } = await lapsed()
    const phone = browser(app)
    await phone.login('alice@example.com', 'alice-password')
    const phoneRefresh = phone.cookie('__Secure-refresh')!
    const res = await client.post('/auth/logout-all')
    expect(res.status).toBe(204)
    expect(await stillRotates(app, phoneRefresh)).toBe(false)
    expect(await stillRotates(app, refresh)).toBe(false)
    // Without any live credential it stays 401.
    expect(client.cookie('__Secure-refresh')).toBeUndefined()
    await client.fetchCsrf()
    expect((await client.post('/auth/logout-all')).status).toBe(401)
  })

  it('a revoked device holding a still-active refresh cookie cannot sign the user out elsewhere', async () => {
    const { app, client } = await lapsed()
    const phone = browser(app)
    await phone.login('alice@example.com', 'alice-password')
    const laptop = ((await phone.get('/auth/sessions')).body as { id: string; current: boolean }[]).find((entry) => !entry.current)!
    expect((await phone.delete(`/auth/sessions/${laptop.id}`)).status).toBe(204)
    expect((await client.post('/auth/logout-all')).status).toBe(401)
    expect((await phone.get('/api/me')).status).toBe(200)
    expect((await phone.post('/auth/refresh')).status).toBe(204)
  })

  it('a second person signing in on the same browser ends the first person’s family and session', async () => {
    const { app, sessions, client, refresh } = await lapsed()
    expect((await client.login('bob@example.com', 'bob-password')).status).toBe(200)
    expect(await stillRotates(app, refresh)).toBe(false)
    expect(await sessions.listForUser('u-alice')).toEqual([])
    expect((await client.get('/api/me')).body).toMatchObject({ user: { id: 'u-bob' } })
  })

  it('each refresh slides the session: an active user outlives the 7-day idle timeout, and lastSeenAt moves', async () => {
    const { clock, client } = await lapsed()
    for (let i = 0; i < 4; i++) {
      clock.advance(3 * day)
      client.jar.delete('__Host-access')
      expect((await client.post('/auth/refresh')).status).toBe(204)
      const [device] = (await client.get('/auth/sessions')).body as { lastSeenAt: string; current: boolean }[]
      expect(device).toMatchObject({ lastSeenAt: new Date(clock.now()).toISOString(), current: true })
    }
    // 12 days in and still signed in; then 8 idle days end the session, and the family with it.
    clock.advance(8 * day)
    expect((await client.post('/auth/refresh')).status).toBe(401)
  })

  it('a refresh cookie left on the old Path=/auth/refresh is expired by the next refresh', async () => {
    const { client } = await lapsed()
    const res = await client.post('/auth/refresh')
    expect(res.status).toBe(204)
    const lines = setCookies(res).filter((line) => line.startsWith('__Secure-refresh='))
    expect(lines.some((line) => /Path=\/auth\/refresh(;|$)/.test(line) && /Max-Age=0/.test(line))).toBe(true)
    expect(lines.some((line) => /Path=\/auth(;|$)/.test(line) && !/Max-Age=0/.test(line))).toBe(true)
  })
})
