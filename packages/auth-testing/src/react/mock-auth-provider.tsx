'use client'
import { AuthProvider, authQueryKeys, type SessionPayload } from '@acme/auth-react'
import { QueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react'
import { createMockFetch } from './mock-fetch.js'

/** A session for {@link MockAuthProvider}: a payload, `null` for signed out, or `'loading'`. */
export type MockSession = SessionPayload | null | 'loading'

/** Props of {@link MockAuthProvider}. */
export interface MockAuthProviderProps {
  /**
   * Signed in (a payload with a user, e.g. from `createMockSession()`), signed out (`null` or
   * `{ user: null }`), or `'loading'` (the session never arrives). A new value re-seeds the cache.
   * @default null
   */
  session?: MockSession
  /**
   * Answers every request other than `GET <basePath>/session` and `/csrf` (sign-in, your API).
   * Without it such requests fail, as offline, with a TypeError naming them.
   */
  fetch?: typeof globalThis.fetch
  /**
   * The QueryClient to use.
   * @default a new one per mount, without retries
   */
  queryClient?: QueryClient
  /** @default '/auth' */
  basePath?: string
  children?: ReactNode
}

/**
 * `@acme/auth-react`'s real `<AuthProvider>`, seeded with the session you give and cut off from
 * the network, so components using the hooks render signed in, signed out or loading in tests.
 *
 * @example
 * ```tsx
 * render(
 *   <MockAuthProvider session={createMockSession({ name: 'Alice' })}>
 *     <Greeting />
 *   </MockAuthProvider>,
 * )
 * expect(screen.getByText('Hello, Alice')).toBeTruthy()
 * ```
 */
export function MockAuthProvider({ session = null, fetch, queryClient, basePath = '/auth', children }: MockAuthProviderProps): ReactElement {
  const payload = toPayload(session)
  const latest = useRef(payload)
  latest.current = payload
  const [client] = useState(
    () => queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } }),
  )
  const [mockFetch] = useState(() => createMockFetch(basePath.replace(/\/+$/, ''), () => latest.current, fetch))

  // A later `session` prop re-seeds the cache (the first one seeded it through initialSession).
  const seeded = useRef(session)
  useEffect(() => {
    if (seeded.current === session) return
    seeded.current = session
    const next = toPayload(session)
    if (next === 'loading') void client.resetQueries({ queryKey: authQueryKeys.session() })
    else client.setQueryData(authQueryKeys.session(), next)
  }, [client, session])

  return (
    <AuthProvider
      {...(payload === 'loading' ? {} : { initialSession: payload })}
      basePath={basePath}
      queryClient={client}
      fetch={mockFetch}
    >
      {children}
    </AuthProvider>
  )
}

function toPayload(session: MockSession): SessionPayload | 'loading' {
  return session === null ? { user: null } : session
}
