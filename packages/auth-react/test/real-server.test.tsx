// @vitest-environment happy-dom
// The hooks against a real @acme/auth-server app over HTTP, through a browser-like fetch that
// keeps one cookie jar per browser. Every test also proves that no browser storage was touched.
import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AuthProvider,
  useAuthFetch,
  useRevokeSession,
  useSession,
  useSessions,
  useSignIn,
  useSignOut,
  type AuthFetchError,
} from '../src/index.js'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { spyOnBrowserStorage, type StorageSpies } from './storage-spies.js'
import { startTestServer, type TestServer } from './test-server.js'

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
function openTab(browser: TestBrowser) {
  const queryClient = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider fetch={browser.fetch} queryClient={queryClient}>
      {children}
    </AuthProvider>
  )
  const tab = renderHook(useAuthPage, { wrapper })
  return { ...tab, queryClient }
}

async function signedInTab(browser: TestBrowser) {
  const tab = openTab(browser)
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
