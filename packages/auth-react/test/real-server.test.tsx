// @vitest-environment happy-dom
// The hooks against a real @acme/auth-server app over HTTP, through a browser-like fetch that
// keeps one cookie jar per browser. Every test also proves that no browser storage was touched.
import { QueryClient, useQueries } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AuthProvider,
  authQueryKeys,
  useAuthFetch,
  useRevokeSession,
  useSession,
  useSessions,
  useSignIn,
  useSignOut,
  type AuthFetchError,
  type AuthStrategy,
  type SessionPayload,
} from '../src/index.js'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { spyOnBrowserStorage, type StorageSpies } from './storage-spies.js'
import { accessTokenSeconds, startTestServer, type TestServer } from './test-server.js'

let server: TestServer
let storage: StorageSpies

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())
beforeEach(() => {
  storage = spyOnBrowserStorage()
})
afterEach(() => {
  cleanup()
  const touched = storage.touched()
  storage.restore()
  expect(touched).toEqual([])
})

const alice = { email: 'alice@example.com', password: 'alice-password' }

/** Everything a page of the app would use, in one hook. */
function useAuthPage() {
  // Read during render: react-query re-renders for the result fields a component reads.
  const { data, refetch } = useSessions()
  return {
    session: useSession(),
    signIn: useSignIn(),
    signOut: useSignOut(),
    devices: { data, refetch },
    revoke: useRevokeSession(),
    api: useAuthFetch(),
  }
}

/** One tab of `browser`: its own React tree and QueryClient, the browser's shared cookie jar. */
function openTab(browser: TestBrowser, strategy: AuthStrategy = 'session', initialSession?: SessionPayload) {
  const queryClient = new QueryClient()
  /** Every status the page rendered, in order. */
  const statuses: string[] = []
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider fetch={browser.fetch} queryClient={queryClient} strategy={strategy} {...(initialSession ? { initialSession } : {})}>
      {children}
    </AuthProvider>
  )
  const tab = renderHook(
    () => {
      const page = useAuthPage()
      statuses.push(page.session.status)
      return page
    },
    { wrapper },
  )
  return { ...tab, queryClient, statuses }
}

async function signedInTab(browser: TestBrowser, strategy: AuthStrategy = 'session') {
  const tab = openTab(browser, strategy)
  await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
  await act(() => tab.result.current.signIn.mutateAsync(alice))
  return tab
}

/** What the server says about this browser right now. */
async function serverSession(browser: TestBrowser) {
  const response = await browser.fetch('/auth/session')
  return (await response.json()) as { user: { name: string } | null }
}

const routes = (browser: TestBrowser, from = 0) => browser.sent.slice(from).map((r) => `${r.method} ${r.path}`)

describe('auth-react against a real auth-server', () => {
  it('signs in: loading, signed out, then the CSRF token, the credentials and the new session', async () => {
    const browser = createTestBrowser(server.url)
    const tab = openTab(browser)
    expect(tab.result.current.session.status).toBe('loading')
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))

    const user = await act(() => tab.result.current.signIn.mutateAsync(alice))

    expect(user).toEqual({ id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] })
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ status: 'authenticated', user: { name: 'Alice' } }))
    expect(routes(browser).slice(0, 4)).toEqual(['GET /auth/session', 'GET /auth/csrf', 'POST /auth/login', 'GET /auth/session'])
    expect(browser.jar.has('__Host-sid')).toBe(true)
    await waitFor(() => expect(tab.result.current.devices.data).toMatchObject([{ current: true, userAgent: 'test-browser' }]))
  })

  it('rejects a wrong password with the generic 401 and stays signed out', async () => {
    const browser = createTestBrowser(server.url)
    const tab = openTab(browser)
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    const error = await act(() => tab.result.current.signIn.mutateAsync({ ...alice, password: 'wrong' }).catch((e: unknown) => e as AuthFetchError))
    expect(error).toMatchObject({ status: 401, data: { status: 401, title: 'Unauthorized' } })
    expect(tab.result.current.session.status).toBe('unauthenticated')
    expect(routes(browser).filter((r) => r === 'GET /auth/session')).toHaveLength(1)
  })

  it('signs out: the server ends the session and the UI shows signed out', async () => {
    const browser = createTestBrowser(server.url)
    const tab = await signedInTab(browser)
    await act(() => tab.result.current.signOut.mutateAsync())
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect((await serverSession(browser)).user).toBeNull()
    expect(browser.jar.has('__Host-sid')).toBe(false)
  })

  it('sends x-csrf-token, as the server issued it, on every unsafe request and on no safe one', async () => {
    const browser = createTestBrowser(server.url)
    const tab = await signedInTab(browser)
    await act(() => tab.result.current.signOut.mutateAsync())
    const unsafe = browser.sent.filter((r) => r.method !== 'GET')
    const safe = browser.sent.filter((r) => r.method === 'GET')
    expect(unsafe.map((r) => r.path)).toEqual(['/auth/login', '/auth/logout'])
    for (const request of unsafe) expect(request.headers['x-csrf-token']).toMatch(/^[\w-]{22}\.[\w-]{43}$/)
    // The token changes at sign-in: it is bound to the session.
    expect(unsafe[0]!.headers['x-csrf-token']).not.toBe(unsafe[1]!.headers['x-csrf-token'])
    for (const request of safe) expect(request.headers['x-csrf-token']).toBeUndefined()
  })

  it('flips to signed out when an API call answers 401, with one session request and no loop', async () => {
    const browser = createTestBrowser(server.url)
    const tab = await signedInTab(browser)
    await expect(act(() => tab.result.current.api('/api/me'))).resolves.toEqual({ id: 'u-alice' })

    await server.sessions.revokeAllForUser('u-alice') // e.g. an operator, or another device
    await expect(act(() => tab.result.current.api('/api/me'))).rejects.toMatchObject({ status: 401 })
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))

    const before = browser.sent.length
    await expect(act(() => tab.result.current.api('/api/me'))).rejects.toMatchObject({ status: 401 })
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(routes(browser, before)).toEqual(['GET /api/me'])
  })

  it('lists devices and revokes another one; revoking this one signs out', async () => {
    const laptop = createTestBrowser(server.url, 'laptop')
    const phone = createTestBrowser(server.url, 'phone')
    const tab = await signedInTab(laptop)
    await signedInTab(phone)
    await act(() => tab.result.current.devices.refetch())
    await waitFor(() => expect(tab.result.current.devices.data).toHaveLength(2))

    const phoneSession = tab.result.current.devices.data!.find((d) => !d.current)!
    expect(phoneSession.userAgent).toBe('phone')
    await act(() => tab.result.current.revoke.mutateAsync(phoneSession.id))
    await waitFor(() => expect(tab.result.current.devices.data).toHaveLength(1))
    expect((await serverSession(phone)).user).toBeNull()

    await act(() => tab.result.current.revoke.mutateAsync(tab.result.current.devices.data![0]!.id))
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect((await serverSession(laptop)).user).toBeNull()
  })

  it('signs out everywhere: every device of the user is signed out', async () => {
    const laptop = createTestBrowser(server.url, 'laptop')
    const phone = createTestBrowser(server.url, 'phone')
    const tab = await signedInTab(laptop)
    await signedInTab(phone)
    await act(() => tab.result.current.signOut.mutateAsync({ everywhere: true }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(routes(laptop)).toContain('POST /auth/logout-all')
    expect((await serverSession(phone)).user).toBeNull()
  })

  it('updates the other tabs of the browser when one signs in or out', async () => {
    const browser = createTestBrowser(server.url)
    const first = openTab(browser)
    const second = openTab(browser)
    await waitFor(() => expect(second.result.current.session.status).toBe('unauthenticated'))

    await act(() => first.result.current.signIn.mutateAsync(alice))
    await waitFor(() => expect(second.result.current.session).toMatchObject({ status: 'authenticated', user: { name: 'Alice' } }))

    await act(() => first.result.current.signOut.mutateAsync())
    await waitFor(() => expect(second.result.current.session.status).toBe('unauthenticated'))

    // The second tab's CSRF state followed: it can sign in at once.
    await act(() => second.result.current.signIn.mutateAsync(alice))
    await waitFor(() => expect(first.result.current.session.status).toBe('authenticated'))
  })
})

describe('auth-react against a real auth-server on the token strategy', () => {
  let tokenServer: TestServer
  beforeAll(async () => {
    tokenServer = await startTestServer('token')
  })
  afterAll(() => tokenServer.close())

  /**
   * Past the access token's lifetime (on the server's test clock): the server now reads the access
   * cookie as signed out. First the tab settles, so no request of its own straddles the jump.
   */
  async function lapseAccessCookie(browser: TestBrowser, tab: { queryClient: QueryClient }) {
    await waitFor(() => expect(tab.queryClient.isFetching() + tab.queryClient.isMutating()).toBe(0))
    tokenServer.clock.advance((accessTokenSeconds + 60) * 1000) // past the verifier's 30 s tolerance too
    expect((await serverSession(browser)).user).toBeNull()
  }
  const refreshes = (browser: TestBrowser, from = 0) => routes(browser, from).filter((route) => route === 'POST /auth/refresh')

  it('renews a lapsed access cookie once: the hook never reports signed out', async () => {
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, 'token')
    expect(browser.jar.has('__Host-access')).toBe(true)
    const access = browser.jar.get('__Host-access')
    await lapseAccessCookie(browser, tab)

    const from = browser.sent.length
    const shown = tab.statuses.length
    // What the expiry timer, a focus or another tab does: ask the server who is signed in.
    await act(() => tab.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))

    await waitFor(() => expect(routes(browser, from)).toEqual(['GET /auth/session', 'POST /auth/refresh', 'GET /auth/session']))
    expect(tab.result.current.session).toMatchObject({ status: 'authenticated', user: { name: 'Alice' } })
    expect(tab.statuses.slice(shown)).not.toContain('unauthenticated')
    expect(browser.jar.get('__Host-access')).not.toBe(access)
    expect((await serverSession(browser)).user).toMatchObject({ name: 'Alice' })
  })

  it('renews when the browser already dropped the expired access cookie (the CSRF binding comes from the refresh cookie), and unsafe requests work after', async () => {
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, 'token')
    browser.jar.delete('__Host-access') // as a browser does at the cookie's Max-Age
    await lapseAccessCookie(browser, tab)

    const from = browser.sent.length
    await act(() => tab.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
    // The token from sign-in is still bound to the session the refresh cookie names: one try is enough.
    expect(routes(browser, from)).toEqual(['GET /auth/session', 'POST /auth/refresh', 'GET /auth/session'])

    // The token held now matches the renewed session: sign-out is accepted.
    await act(() => tab.result.current.signOut.mutateAsync())
    expect((await serverSession(browser)).user).toBeNull()
  })

  it('N concurrent queries that hit the lapsed cookie cause exactly one POST /auth/refresh, and all of them succeed', async () => {
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, 'token')
    await lapseAccessCookie(browser, tab)
    const from = browser.sent.length

    const queries = renderHook(
      () => {
        const api = useAuthFetch()
        return useQueries({
          queries: Array.from({ length: 6 }, (_, index) => ({ queryKey: ['me', index], queryFn: () => api<{ id: string }>(`/api/me?n=${index}`), retry: false })),
        }, tab.queryClient)
      },
      { wrapper: ({ children }: { children: ReactNode }) => <AuthProvider fetch={browser.fetch} queryClient={tab.queryClient} strategy="token">{children}</AuthProvider> },
    )
    // The session query asks at the same moment (a focus, say).
    void tab.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })

    await waitFor(() => expect(queries.result.current.map((query) => query.data)).toEqual(Array.from({ length: 6 }, () => ({ id: 'u-alice' }))))
    expect(refreshes(browser, from)).toEqual(['POST /auth/refresh'])
    expect(routes(browser, from).filter((route) => route.startsWith('GET /api/me'))).toHaveLength(12) // each query: 401, then 200
    expect(tab.result.current.session.status).toBe('authenticated')
  })

  it('reports signed out when the refresh is refused (session revoked), and asks no more', async () => {
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, 'token')
    await tokenServer.sessions.revokeAllForUser('u-alice')
    await lapseAccessCookie(browser, tab)

    const from = browser.sent.length
    await expect(act(() => tab.result.current.api('/api/me'))).rejects.toMatchObject({ status: 401 })
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    await expect(act(() => tab.result.current.api('/api/me'))).rejects.toMatchObject({ status: 401 })
    await act(() => tab.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))
    expect(refreshes(browser, from)).toEqual(['POST /auth/refresh'])
    expect(tab.result.current.session.status).toBe('unauthenticated')
  })

  it('a page rendered signed out (lapsed access cookie, live refresh cookie) renews on mount and shows signed in', async () => {
    const browser = createTestBrowser(tokenServer.url)
    await lapseAccessCookie(browser, await signedInTab(browser, 'token'))
    const from = browser.sent.length

    const page = openTab(browser, 'token', { user: null })
    expect(page.result.current.session.status).toBe('unauthenticated')
    await waitFor(() => expect(page.result.current.session).toMatchObject({ status: 'authenticated', user: { name: 'Alice' } }))
    expect(refreshes(browser, from)).toEqual(['POST /auth/refresh'])
  })

  it('on the session strategy prop, a lapsed access cookie reads as signed out (no refresh is attempted)', async () => {
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, 'session')
    await lapseAccessCookie(browser, tab)
    const from = browser.sent.length
    await act(() => tab.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(refreshes(browser, from)).toEqual([])
  })
})
