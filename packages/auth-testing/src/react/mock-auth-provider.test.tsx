// @vitest-environment happy-dom
import { useAuthFetch, useHasRole, useSession, useSignIn } from '@acme/auth-react'
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MockAuthProvider, type MockSession } from './mock-auth-provider.js'
import { createMockSession } from './mock-session.js'

afterEach(cleanup)

function Status() {
  const session = useSession()
  return <p>{session.status === 'authenticated' ? `signed in as ${session.user.name}` : session.status}</p>
}

const wrapperFor =
  (session: MockSession, fetch?: typeof globalThis.fetch) =>
  ({ children }: { children: ReactNode }) => (
    <MockAuthProvider session={session} {...(fetch ? { fetch } : {})}>
      {children}
    </MockAuthProvider>
  )

describe('MockAuthProvider', () => {
  it('renders signed in with the given user, on the first render', () => {
    render(
      <MockAuthProvider session={createMockSession({ name: 'Alice', roles: ['admin'] })}>
        <Status />
      </MockAuthProvider>,
    )
    expect(screen.getByText('signed in as Alice')).toBeTruthy()
  })

  it('renders signed out for null and for { user: null }', () => {
    render(
      <>
        <MockAuthProvider session={null}>
          <Status />
        </MockAuthProvider>
        <MockAuthProvider session={{ user: null }}>
          <Status />
        </MockAuthProvider>
      </>,
    )
    expect(screen.getAllByText('unauthenticated')).toHaveLength(2)
  })

  it("stays loading for 'loading': the session never arrives", async () => {
    const { result } = renderHook(() => useSession(), { wrapper: wrapperFor('loading') })
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(result.current.status).toBe('loading')
  })

  it('re-seeds the cache when the session prop changes', async () => {
    const { rerender } = render(
      <MockAuthProvider session={null}>
        <Status />
      </MockAuthProvider>,
    )
    rerender(
      <MockAuthProvider session={createMockSession({ name: 'Bob' })}>
        <Status />
      </MockAuthProvider>,
    )
    await waitFor(() => expect(screen.getByText('signed in as Bob')).toBeTruthy())
  })

  it('reflects the roles it was given, exactly', () => {
    const { result } = renderHook(() => [useHasRole('admin'), useHasRole('member')], {
      wrapper: wrapperFor(createMockSession({ roles: ['admin'] })),
    })
    expect(result.current).toEqual([true, false])
  })

  it('makes no network request: the global fetch is never called, other requests fail loudly', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch')
    const { result } = renderHook(() => useAuthFetch(), { wrapper: wrapperFor(createMockSession()) })
    await expect(result.current('/api/notes')).rejects.toThrow(/MockAuthProvider has no network: GET \/api\/notes/)
    expect(globalFetch).not.toHaveBeenCalled()
    globalFetch.mockRestore()
  })

  it('hands other requests to the fetch prop, with the CSRF header the real client adds', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() =>
      Promise.resolve(new Response(JSON.stringify({ user: { id: 'u-test' }, csrfToken: 'x' }), { headers: { 'content-type': 'application/json' } })),
    )
    const { result } = renderHook(() => ({ session: useSession(), signIn: useSignIn() }), { wrapper: wrapperFor(null, fetch) })
    await act(() => result.current.signIn.mutateAsync({ email: 'test@example.com', password: 'pw' }).catch(() => undefined))
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/auth/login')
    expect(new Headers(init?.headers).get('x-csrf-token')).toBe('mock-csrf-token')
  })
})
