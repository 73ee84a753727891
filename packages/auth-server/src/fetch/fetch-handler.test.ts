import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
import { createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { origin, secret, testHasher } from '../../test/fixtures.js'
import { createFetchAuth, type FetchAuth } from './index.js'

/** A browser made of plain `Request`s: a cookie jar, Origin, and the CSRF header on unsafe methods. */
function fetchBrowser(handle: (request: Request) => Promise<Response>) {
  const jar = new Map<string, string>()
  let csrf = ''
  const send = async (method: string, path: string, init: { body?: string; type?: string; headers?: Record<string, string> } = {}) => {
    const headers = new Headers({ origin, ...init.headers })
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    if (method !== 'GET') headers.set('x-csrf-token', csrf)
    if (init.body !== undefined) headers.set('content-type', init.type ?? 'application/json')
    const response = await handle(new Request(`${origin}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) }))
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)]
      if (/max-age=0/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }
  return {
    jar,
    send,
    async login(email: string, password: string) {
      csrf = ((await (await send('GET', '/auth/csrf')).json()) as { csrfToken: string }).csrfToken
      const response = await send('POST', '/auth/login', { body: JSON.stringify({ email, password }) })
      if (response.status === 200) csrf = ((await response.clone().json()) as { csrfToken: string }).csrfToken
      return response
    },
    cookieHeader: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
  }
}

async function createTestFetchAuth(): Promise<FetchAuth> {
  const passwords = testHasher()
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  // The Fetch quick start: the same options as createAuth, no Express anywhere.
  return createFetchAuth(
    {
      sessions: createSessionManager({ store: new MemorySessionStore() }),
      users: createTestUserDirectory([alice, bob]),
      passwords,
      http: { origin, secret },
    },
    { clientIp: () => '127.0.0.1' },
  )
}

describe('the Fetch adapter with plain Requests', () => {
  let auth: FetchAuth
  beforeEach(async () => {
    auth = await createTestFetchAuth()
  })

  it('signs in, answers /auth/session, and signs out, with the contract’s cookies', async () => {
    const browser = fetchBrowser((request) => auth.handler(request))
    const login = await browser.login('alice@example.com', 'alice-password')
    expect(login.status).toBe(200)
    const sid = login.headers.getSetCookie().find((line) => line.startsWith('__Host-sid='))!
    expect(sid).toMatch(/; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/)
    expect(login.headers.get('cache-control')).toBe('no-store')

    const session = await browser.send('GET', '/auth/session')
    expect(session.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await session.json()) as { user: { id: string; email: string }; session: { id: string } }
    expect(body.user).toMatchObject({ id: 'u-alice', email: 'alice@example.com' })
    expect(body.session.id).toMatch(/^[A-Za-z0-9_-]{16,64}$/)

    expect((await browser.send('POST', '/auth/logout')).status).toBe(204)
    expect(await (await browser.send('GET', '/auth/session')).json()).toEqual({ user: null })
  })

  it('refuses a cross-site unsafe request, bad bodies and unknown routes with problem+json', async () => {
    const browser = fetchBrowser((request) => auth.handler(request))
    await browser.login('bob@example.com', 'bob-password')
    const crossSite = await browser.send('POST', '/auth/logout', { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(crossSite.status).toBe(403)
    expect(await crossSite.json()).toMatchObject({ type: 'https://acme.dev/problems/csrf' })
    const nullOrigin = await browser.send('POST', '/auth/logout', { headers: { origin: 'null' } })
    expect(nullOrigin.status).toBe(403)

    for (const [body, type, status] of [
      ['{"email": ', 'application/json', 400],
      ['email=a', 'text/plain', 415],
      [JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }), 'application/json', 413],
    ] as const) {
      const res = await browser.send('POST', '/auth/login', { body, type })
      expect(res.status, `${type} ${body.slice(0, 20)}`).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(await res.text()).not.toMatch(/at .*\.ts|stack/i)
    }
    // An empty body stream with `content-length: 0` and no type (what Next.js hands a bodiless POST) is no body.
    const empty = await browser.send('POST', '/auth/logout', { body: '', type: '', headers: { 'content-length': '0' } })
    expect(empty.status).toBe(204)
    await browser.login('bob@example.com', 'bob-password')
    const head = await auth.handler(new Request(`${origin}/auth/session`, { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const unknown = await browser.send('GET', '/auth/nope')
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await auth.handler(new Request(`${origin}/elsewhere`))).status).toBe(404)
  })

  it('getAuth reads a Request or bare Headers; with Headers (a Server Component) it writes no cookie', async () => {
    const browser = fetchBrowser((request) => auth.handler(request))
    await browser.login('alice@example.com', 'alice-password')
    const fromRequest = await auth.getAuth(new Request(`${origin}/notes`, { headers: { cookie: browser.cookieHeader() } }))
    expect(fromRequest.auth).toMatchObject({ user: { id: 'u-alice' }, strategy: 'session' })
    const fromHeaders = await auth.getAuth(new Headers({ cookie: browser.cookieHeader() }))
    expect(fromHeaders.auth?.user.id).toBe('u-alice')
    expect(fromHeaders.setCookies).toEqual([])

    // A dead session cookie: a Request gets it cleared; Headers alone cannot, and promise nothing.
    const dead = '__Host-sid=AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'
    const cleared = await auth.getAuth(new Request(`${origin}/`, { headers: { cookie: dead } }))
    expect(cleared).toMatchObject({ auth: null, setCookies: [expect.stringMatching(/^__Host-sid=; Max-Age=0/)] })
    expect(await auth.getAuth(new Headers({ cookie: dead }))).toEqual({ auth: null, setCookies: [] })

    const payload = await auth.sessionPayload(new Headers({ cookie: browser.cookieHeader() }))
    expect(payload.payload.user?.id).toBe('u-alice')
    expect(payload.payload.user && payload.payload.csrfToken).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
  })

  it('csrf(request) guards the app’s own handlers', async () => {
    const browser = fetchBrowser((request) => auth.handler(request))
    await browser.login('alice@example.com', 'alice-password')
    const csrfToken = ((await (await browser.send('GET', '/auth/session')).json()) as { csrfToken: string }).csrfToken
    const post = (headers: Record<string, string>) =>
      auth.csrf(new Request(`${origin}/notes`, { method: 'POST', headers: { cookie: browser.cookieHeader(), ...headers } }))
    expect(await post({ origin, 'x-csrf-token': csrfToken })).toBeNull()
    const refused = await post({ origin: 'https://evil.example', 'x-csrf-token': csrfToken })
    expect(refused?.status).toBe(403)
    expect((await post({ origin }))?.status).toBe(403)
    expect(await auth.csrf(new Request(`${origin}/notes`))).toBeNull() // GET is safe
  })

  it('mounted in Hono, it serves the same routes (not Next-specific)', async () => {
    const app = new Hono()
    app.all('/auth/*', (c) => auth.handler(c.req.raw))
    app.get('/me', async (c) => {
      const { auth: who } = await auth.getAuth(c.req.raw)
      return who ? c.json(who.user) : c.json({ type: 'https://acme.dev/problems/unauthenticated' }, 401)
    })
    const browser = fetchBrowser(async (request) => app.request(request))
    expect((await browser.send('GET', '/me')).status).toBe(401)
    expect((await browser.login('bob@example.com', 'bob-password')).status).toBe(200)
    expect(await (await browser.send('GET', '/me')).json()).toEqual({ id: 'u-bob', roles: ['member'] })
    expect((await browser.send('POST', '/auth/logout')).status).toBe(204)
    expect((await browser.send('GET', '/me')).status).toBe(401)
  })
})
