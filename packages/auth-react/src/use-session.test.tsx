// @vitest-environment happy-dom
import { createMockSession, MockAuthProvider, type MockSession } from '@acme/auth-testing/react'
import { cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useHasRole } from './use-has-role.js'
import { useSession } from './use-session.js'
import { useUser } from './use-user.js'

afterEach(cleanup)

const withSession =
  (session: MockSession) =>
  ({ children }: { children: ReactNode }) => <MockAuthProvider session={session}>{children}</MockAuthProvider>

describe('useSession, useUser, useHasRole', () => {
  it('authenticated: the user and session the server described', () => {
    const payload = createMockSession({ name: 'Alice', roles: ['admin'] }, { id: 'session-1234567890' })
    const { result } = renderHook(() => ({ session: useSession(), user: useUser(), admin: useHasRole('admin') }), {
      wrapper: withSession(payload),
    })
    expect(result.current.session).toEqual({
      status: 'authenticated',
      user: payload.user,
      session: { id: 'session-1234567890', expiresAt: '2100-01-01T00:00:00.000Z' },
    })
    expect(result.current.user?.name).toBe('Alice')
    expect(result.current.admin).toBe(true)
  })

  it('never exposes the CSRF token through the session', () => {
    const { result } = renderHook(() => useSession(), { wrapper: withSession(createMockSession()) })
    expect(JSON.stringify(result.current)).not.toContain('mock-csrf-token')
  })

  it('unauthenticated: no user, no roles', () => {
    const { result } = renderHook(() => ({ session: useSession(), user: useUser(), admin: useHasRole('admin') }), {
      wrapper: withSession(null),
    })
    expect(result.current).toEqual({ session: { status: 'unauthenticated', user: null, session: null }, user: null, admin: false })
  })

  it('loading: neither, until the server answers', () => {
    const { result } = renderHook(() => useSession(), { wrapper: withSession('loading') })
    expect(result.current).toEqual({ status: 'loading', user: null, session: null })
  })

  it('roles match exactly: no hierarchy is invented on the client', () => {
    const { result } = renderHook(() => [useHasRole('admin'), useHasRole('member'), useHasRole('ADMIN')], {
      wrapper: withSession(createMockSession({ roles: ['admin'] })),
    })
    expect(result.current).toEqual([true, false, false])
  })

  it('fails loudly outside the provider, naming the hook', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useSession())).toThrow(/useSession\(\) is used outside <AuthProvider>/)
    vi.restoreAllMocks()
  })
})
