// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, type AuthProviderProps } from './auth-provider.js'
import { urlOf } from './lib/request-parts.js'
import { authQueryKeys } from './query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import { useSession } from './use-session.js'
import { useSignOut } from './use-sign-out.js'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const alice = (expiresAt = '2100-01-01T00:00:00.000Z'): SessionPayload => ({
  user: { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] },
  session: { id: 'session-alice-0001', expiresAt },
  csrfToken: 'alice-token',
})

/** A server stub answering GET /auth/session with `session()` and anything else with 204. */
function stubServer(session: () => SessionPayload) {
  return vi.fn<typeof globalThis.fetch>((input) =>
    Promise.resolve(
      urlOf(input) === '/auth/session'
        ? new Response(JSON.stringify(session()), { headers: { 'content-type': 'application/json' } })
        : new Response(null, { status: 204 }),
    ),
  )
}
const sessionRequests = (fetch: ReturnType<typeof stubServer>) => fetch.mock.calls.filter(([input]) => urlOf(input) === '/auth/session').length

function providerWith(props: Omit<AuthProviderProps, 'children'>) {
  return ({ children }: { children: ReactNode }) => <AuthProvider {...props}>{children}</AuthProvider>
}

describe('<AuthProvider>', () => {
  it('with initialSession: authenticated on the first render, and no session request', async () => {
    const fetch = stubServer(() => alice())
    const { result } = renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(), fetch }) })
    expect(result.current.status).toBe('authenticated')
    await act(() => Promise.resolve())
    expect(fetch).not.toHaveBeenCalled()
  })

  it('without initialSession: loading, then one request decides', async () => {
    const fetch = stubServer(() => ({ user: null }))
    const { result } = renderHook(() => useSession(), { wrapper: providerWith({ fetch }) })
    expect(result.current.status).toBe('loading')
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'))
    expect(sessionRequests(fetch)).toBe(1)
  })

  it("uses the app's QueryClient: given as a prop, or from an enclosing QueryClientProvider", () => {
    const given = new QueryClient()
    renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(), queryClient: given, fetch: stubServer(alice) }) })
    expect(given.getQueryData(authQueryKeys.session())).toEqual(alice())

    const ambient = new QueryClient()
    renderHook(() => useSession(), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={ambient}>
          <AuthProvider initialSession={{ user: null }} fetch={stubServer(alice)}>
            {children}
          </AuthProvider>
        </QueryClientProvider>
      ),
    })
    expect(ambient.getQueryData(authQueryKeys.session())).toEqual({ user: null })
  })

  it('refetches the session when the window regains focus', async () => {
    let current: SessionPayload = alice()
    const fetch = stubServer(() => current)
    const { result } = renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(), fetch }) })
    current = { user: null }
    act(() => {
      window.dispatchEvent(new Event('visibilitychange'))
    })
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'))
    expect(sessionRequests(fetch)).toBe(1)
  })

  it("schedules one refetch at the session's expiresAt, and none more for an unchanged answer", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2030, 0, 1) })
    const expiresAt = new Date(Date.now() + 60_000).toISOString()
    const fetch = stubServer(() => alice(expiresAt))
    // Ten components read the session; still one timer, one refetch.
    renderHook(() => Array.from({ length: 10 }, () => useSession()), { wrapper: providerWith({ initialSession: alice(expiresAt), fetch }) })
    await act(() => vi.advanceTimersByTimeAsync(59_000))
    expect(sessionRequests(fetch)).toBe(0)
    await act(() => vi.advanceTimersByTimeAsync(3_000))
    expect(sessionRequests(fetch)).toBe(1)
    await act(() => vi.advanceTimersByTimeAsync(600_000))
    expect(sessionRequests(fetch)).toBe(1)
  })

  it('a slid expiry from the server schedules the next refetch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2030, 0, 1) })
    const first = new Date(Date.now() + 60_000).toISOString()
    const slid = new Date(Date.now() + 120_000).toISOString()
    const fetch = stubServer(() => alice(slid))
    renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(first), fetch }) })
    await act(() => vi.advanceTimersByTimeAsync(62_000))
    expect(sessionRequests(fetch)).toBe(1)
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    expect(sessionRequests(fetch)).toBe(2)
  })

  it('token strategy: renews the access cookie ahead of its expiry, then again ahead of the renewed one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2030, 0, 1) })
    const start = Date.now()
    let expiresAt = new Date(start + 4_000).toISOString()
    const fetch = vi.fn<typeof globalThis.fetch>((input, init) => {
      if (urlOf(input) === '/auth/refresh' && init?.method === 'POST') {
        expiresAt = new Date(Date.now() + 4_000).toISOString()
        return Promise.resolve(new Response(null, { status: 204 }))
      }
      return Promise.resolve(new Response(JSON.stringify(alice(expiresAt)), { headers: { 'content-type': 'application/json' } }))
    })
    const refreshes = () => fetch.mock.calls.filter(([input]) => urlOf(input) === '/auth/refresh')
    const { result } = renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(expiresAt), fetch, strategy: 'token' }) })

    await act(() => vi.advanceTimersByTimeAsync(2_500))
    expect(refreshes()).toHaveLength(0)
    await act(() => vi.advanceTimersByTimeAsync(300)) // two thirds of the 4 s left
    expect(refreshes()).toHaveLength(1)
    expect(new Headers(refreshes()[0]![1]!.headers).get('x-csrf-token')).toBe('alice-token')
    expect(result.current.session?.expiresAt).toBe(new Date(start + 2_666 + 4_000).toISOString())
    await act(() => vi.advanceTimersByTimeAsync(2_700))
    expect(refreshes()).toHaveLength(2)
    expect(result.current.status).toBe('authenticated')
  })

  it("session strategy: never calls POST /auth/refresh, it refetches at expiry", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2030, 0, 1) })
    const expiresAt = new Date(Date.now() + 4_000).toISOString()
    const fetch = stubServer(() => ({ user: null }))
    const { result } = renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(expiresAt), fetch }) })
    await act(() => vi.advanceTimersByTimeAsync(6_000))
    expect(fetch.mock.calls.map(([input]) => urlOf(input))).toEqual(['/auth/session'])
    expect(result.current.status).toBe('unauthenticated')
  })

  it('rejects a strategy that is not session or token', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useSession(), { wrapper: providerWith({ strategy: 'jwt' as never }) })).toThrow(/strategy must be 'session' or 'token'/)
    vi.restoreAllMocks()
  })

  it('tells other tabs about a sign-out, and they ask the server (BroadcastChannel)', async () => {
    const tabA = stubServer(() => alice())
    let server: SessionPayload = alice()
    const tabB = stubServer(() => server)
    const a = renderHook(() => useSignOut(), { wrapper: providerWith({ initialSession: alice(), fetch: tabA }) })
    const b = renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(), fetch: tabB }) })
    server = { user: null }
    await act(() => a.result.current.mutateAsync())
    await waitFor(() => expect(b.result.current.status).toBe('unauthenticated'))
    expect(sessionRequests(tabB)).toBe(1)
  })

  it('ignores messages on the channel that are not ours', async () => {
    const fetch = stubServer(() => alice())
    renderHook(() => useSession(), { wrapper: providerWith({ initialSession: alice(), fetch }) })
    const stranger = new BroadcastChannel('acme-auth:/auth')
    stranger.postMessage({ type: 'pwned' })
    stranger.postMessage('signed-out')
    stranger.close()
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(fetch).not.toHaveBeenCalled()
  })

  it('rejects a basePath that is not a path', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useSession(), { wrapper: providerWith({ basePath: 'auth' }) })).toThrow(/basePath must be a path/)
    vi.restoreAllMocks()
  })
})
