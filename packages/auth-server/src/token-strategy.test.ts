import { createTestClock } from '@acme/auth-testing'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, setCookies } from '../test/fixtures.js'

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
    expect(refresh).toMatch(/Path=\/auth\/refresh/)
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
    thief.jar.set('__Secure-refresh', { value: firstRefresh, path: '/auth/refresh' })
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
    thief.jar.set('__Secure-refresh', { value: stolen, path: '/auth/refresh' })
    const reuse = await thief.post('/auth/refresh')
    expect(reuse.status).toBe(401)
    expect(reuse.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(cookieLine(reuse, '__Host-access')).toMatch(/Max-Age=0/)
    expect(cookieLine(reuse, '__Secure-refresh')).toMatch(/Max-Age=0.*Path=\/auth\/refresh|Path=\/auth\/refresh.*Max-Age=0/)
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

  it('logout clears both cookies under their own paths and revokes the family', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    const refresh = alice.cookie('__Secure-refresh')!
    const res = await alice.post('/auth/logout')
    expect(res.status).toBe(204)
    expect(cookieLine(res, '__Host-access')).toMatch(/Max-Age=0/)
    expect(cookieLine(res, '__Secure-refresh')).toMatch(/Path=\/auth\/refresh/)
    expect(cookieLine(res, '__Secure-refresh')).toMatch(/Max-Age=0/)
    alice.jar.set('__Secure-refresh', { value: refresh, path: '/auth/refresh' })
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
    const { createAuth } = await import('./create-auth.js')
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
