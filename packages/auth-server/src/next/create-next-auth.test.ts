import { createSessionManager, MemorySessionStore, type SessionStore } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createRecordingAuditSink, createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import { NextRequest, NextResponse } from 'next/server'
import type * as ReactModule from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthCore, createNextAuth, createOAuth, NextContextError, type NextAuth } from './index.js'

// Server Components read the request through next/headers: the one thing mocked here.
const requestHeaders = vi.hoisted((): { current: Headers | Error } => ({ current: new Headers() }))
vi.mock('next/headers', () => ({
  headers: () => (requestHeaders.current instanceof Error ? Promise.reject(requestHeaders.current) : Promise.resolve(requestHeaders.current)),
}))

const origin = 'https://app.example.com'
const secret = 'test-secret-that-is-long-enough-0123456789'

async function setup(store: SessionStore = new MemorySessionStore(), expiry?: { touchIntervalSeconds: number }) {
  const passwords = createScryptHasher({ logN: 10 })
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const sessions = createSessionManager({ store, ...(expiry ? { expiry } : {}) })
  const auth = createNextAuth({ sessions, passwords, users: createTestUserDirectory([alice, bob]), http: { origin, secret }, audit: createRecordingAuditSink() })
  return { auth, sessions }
}

/** Signs alice in through `auth.routes` with plain Requests, as a browser would; returns her Cookie header. */
async function signIn(auth: NextAuth): Promise<string> {
  const csrf = await auth.routes.GET(new Request(`${origin}/auth/csrf`, { headers: { origin, 'sec-fetch-site': 'same-origin' } }))
  const csrfCookie = csrf.headers.getSetCookie().map((line) => line.split(';')[0]!)
  const token = csrfCookie[0]!.split('=')[1]!
  const login = await auth.routes.POST(
    new Request(`${origin}/auth/login`, {
      method: 'POST',
      headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', 'x-csrf-token': token, cookie: csrfCookie.join('; ') },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-password' }),
    }),
  )
  expect(login.status).toBe(200)
  return login.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ')
}

// React's cache() memoises per server request only inside a React Server Components render; here
// one "request" is simulated: a cache() that remembers the first result until reset.
const reactCache = vi.hoisted(() => ({ resets: [] as (() => void)[] }))
vi.mock('react', async (importOriginal) => ({
  ...(await importOriginal<typeof ReactModule>()),
  cache: <T,>(fn: () => Promise<T>) => {
    let memo: Promise<T> | undefined
    reactCache.resets.push(() => (memo = undefined))
    return () => (memo ??= fn())
  },
}))
const newRequest = () => reactCache.resets.forEach((reset) => reset())

let restoreEdge: (() => void) | undefined
beforeEach(() => {
  requestHeaders.current = new Headers()
  newRequest()
})
afterEach(() => {
  restoreEdge?.()
  restoreEdge = undefined
})

describe('createNextAuth: route handlers', () => {
  it('serves the /auth routes: a plain Request signs in, and GET /auth/session reads the session back', async () => {
    const { auth } = await setup()
    const cookie = await signIn(auth)
    expect(cookie).toMatch(/__Host-sid=/)
    const session = await auth.routes.GET(new Request(`${origin}/auth/session`, { headers: { cookie } }))
    expect(await session.json()).toMatchObject({ user: { email: 'alice@example.com' } })
  })
  it('checkAuthLevel: a password session gets 401 …/mfa-required (problem+json), a signed-out request …/unauthenticated', async () => {
    const { auth } = await setup()
    const cookie = await signIn(auth)
    const guard = (headers: Record<string, string>) => auth.checkAuthLevel(new Request(`${origin}/admin/api/danger`, { method: 'POST', headers }), 'mfa')
    const refused = await guard({ cookie })
    expect(refused?.status).toBe(401)
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await refused?.json()).toMatchObject({ type: 'https://acme.dev/problems/mfa-required' })
    expect(await (await guard({}))?.json()).toMatchObject({ status: 401, type: 'https://acme.dev/problems/unauthenticated' })
  })
})

describe('createNextAuth: OAuth through auth.routes', () => {
  it('serves /auth/oauth/* once createOAuth ran on the core: the sign-in start redirects to the provider', async () => {
    const passwords = createScryptHasher({ logN: 10 })
    const { alice } = await createTestUsers({ hasher: passwords })
    const users = createTestUserDirectory([alice])
    const core = createAuthCore({ sessions: createSessionManager({ store: new MemorySessionStore() }), passwords, users, http: { origin, secret }, audit: createRecordingAuditSink() })
    createOAuth(core, {
      providers: {
        example: {
          clientId: 'app',
          clientSecret: 'client-secret',
          endpoints: { authorization: 'https://idp.example.com/authorize', token: 'https://idp.example.com/token', userinfo: 'https://idp.example.com/userinfo' },
        },
      },
      users: { findOrCreate: () => Promise.resolve(null) },
      secret,
      http: { origin },
    })
    const start = await createNextAuth(core).routes.GET(new Request(`${origin}/auth/oauth/example?returnTo=%2Fnotes`))
    expect(start.status).toBeGreaterThanOrEqual(302)
    expect(start.status).toBeLessThan(304)
    const location = new URL(start.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe('https://idp.example.com/authorize')
    expect(location.searchParams.get('redirect_uri')).toBe(`${origin}/auth/oauth/example/callback`)
  })
})

describe('getSession (Server Components)', () => {
  it("reads the session from the request's cookies and promises no cookie write", async () => {
    const { auth } = await setup()
    requestHeaders.current = new Headers({ cookie: await signIn(auth) })
    const session = await auth.getSession()
    expect(session.user?.email).toBe('alice@example.com')
  })

  it('reads the store once per request (React cache())', async () => {
    const store = new MemorySessionStore()
    const { auth } = await setup(store)
    requestHeaders.current = new Headers({ cookie: await signIn(auth) })
    const reads = vi.spyOn(store, 'get')
    const [first, second] = await Promise.all([auth.getSession(), auth.getSession()])
    expect(second).toBe(first)
    expect(reads).toHaveBeenCalledTimes(1)
    newRequest()
    await auth.getSession()
    expect(reads).toHaveBeenCalledTimes(2)
  })

  it('is signed out without a cookie, and with a forged one', async () => {
    const { auth } = await setup()
    expect(await auth.getSession()).toEqual({ user: null })
    newRequest()
    requestHeaders.current = new Headers({ cookie: '__Host-sid=forged.value' })
    expect(await auth.getSession()).toEqual({ user: null })
  })

  it('fails closed: a store that fails makes it throw, never answer signed in', async () => {
    const store = new MemorySessionStore()
    const { auth } = await setup(store)
    requestHeaders.current = new Headers({ cookie: await signIn(auth) })
    vi.spyOn(store, 'get').mockRejectedValue(new Error('connection refused'))
    await expect(auth.getSession()).rejects.toThrow()
  })

  it('says clearly when it runs inside "use cache" or outside a request', async () => {
    const { auth } = await setup()
    requestHeaders.current = new Error('Route /notes used `headers()` inside "use cache". Accessing Dynamic data sources inside a cache scope is not supported.')
    const cached = await auth.getSession().catch((error: unknown) => error)
    expect(cached).toBeInstanceOf(NextContextError)
    expect((cached as NextContextError).code).toBe('ERR_NEXT_CONTEXT')
    expect((cached as Error).message).toMatch(/use cache/)
    newRequest()
    requestHeaders.current = new Error('`headers` was called outside a request scope.')
    await expect(auth.getSession()).rejects.toThrow(/needs a request/)
  })

  it('lets Next’s own dynamic-rendering errors through untouched', async () => {
    const { auth } = await setup()
    const bailout = Object.assign(new Error('Dynamic server usage: headers'), { digest: 'DYNAMIC_SERVER_USAGE' })
    requestHeaders.current = bailout
    await expect(auth.getSession()).rejects.toBe(bailout)
  })

  it('refuses the edge runtime by name', async () => {
    const { auth } = await setup()
    ;(globalThis as { EdgeRuntime?: string }).EdgeRuntime = 'edge-runtime'
    restoreEdge = () => delete (globalThis as { EdgeRuntime?: string }).EdgeRuntime
    await expect(auth.getSession()).rejects.toThrow(/edge runtime/)
  })

  it('requireSession redirects signed-out visitors and returns the session otherwise', async () => {
    const { auth } = await setup()
    const redirected = await auth.requireSession({ redirectTo: '/signin' }).catch((error: unknown) => error)
    expect((redirected as { digest?: string }).digest).toMatch(/^NEXT_REDIRECT;.*;\/signin;/)
    newRequest()
    requestHeaders.current = new Headers({ cookie: await signIn(auth) })
    expect((await auth.requireSession()).user.email).toBe('alice@example.com')
  })
})

describe('auth.proxy', () => {
  const proxyOf = (auth: NextAuth) => auth.proxy({ protect: ['/', '/notes', '/admin'], signIn: '/login' })

  it('redirects a signed-out visitor of a protected path to signIn with returnTo (303)', async () => {
    const { auth } = await setup()
    const response = await proxyOf(auth)(new NextRequest(`${origin}/notes/42?tab=2`))
    expect(response.status).toBe(303)
    const location = new URL(response.headers.get('location')!)
    expect(location.pathname).toBe('/login')
    expect(location.searchParams.get('returnTo')).toBe('/notes/42?tab=2')
  })

  it('lets signed-in visitors and public paths through', async () => {
    const { auth } = await setup()
    const proxy = proxyOf(auth)
    expect((await proxy(new NextRequest(`${origin}/login`))).headers.get('x-middleware-next')).toBe('1')
    const cookie = await signIn(auth)
    const through = await proxy(new NextRequest(`${origin}/notes/42`, { headers: { cookie } }))
    expect(through.status).toBe(200)
    expect(through.headers.get('x-middleware-next')).toBe('1')
  })

  it('writes the cookie whose idle expiry slid, and hands the page the cookies it writes', async () => {
    // Every request slides the idle expiry (no touch interval), so every request re-sends the cookie.
    const { auth } = await setup(new MemorySessionStore(), { touchIntervalSeconds: 0 })
    const cookie = await signIn(auth)
    const response = await proxyOf(auth)(new NextRequest(`${origin}/notes`, { headers: { cookie } }))
    const sid = response.headers.getSetCookie().find((line) => line.startsWith('__Host-sid='))
    expect(sid).toMatch(/HttpOnly/)
    expect(sid).toMatch(/Max-Age=\d+/)
    // The page rendered after the proxy reads the request's cookies as the browser will hold them.
    expect(response.headers.get('x-middleware-request-cookie')).toContain(sid!.split(';')[0])
  })

  it('promises no cookie write from a Server Component: getSession() slides the store only', async () => {
    const store = new MemorySessionStore()
    const { auth } = await setup(store, { touchIntervalSeconds: 0 })
    const cookie = await signIn(auth)
    requestHeaders.current = new Headers({ cookie })
    const slides = vi.spyOn(store, 'update')
    expect((await auth.getSession()).user?.email).toBe('alice@example.com')
    expect(slides.mock.calls[0]![1]).toHaveProperty('idleExpiresAt')
    // Given the same request's headers, the Fetch adapter would have written nothing either.
    expect((await (await auth.fetchAuth()).sessionPayload(new Headers({ cookie }))).setCookies).toEqual([])
  })

  it('hands its own response builder the request headers to pass on', async () => {
    const { auth } = await setup()
    const proxy = auth.proxy({
      protect: ['/admin'],
      signIn: '/login',
      next: (_request, { requestHeaders: headers }) => {
        headers.set('x-nonce', 'n0nce')
        return NextResponse.next({ request: { headers } })
      },
    })
    const response = await proxy(new NextRequest(`${origin}/about`))
    expect(response.headers.get('x-middleware-request-x-nonce')).toBe('n0nce')
  })
})
