'use client'
import { QueryClient, QueryClientContext, useQuery } from '@tanstack/react-query'
import { useContext, useEffect, useState, type ReactElement, type ReactNode } from 'react'
import { AuthContext } from './lib/auth-context.js'
import { createAuthRuntime } from './lib/auth-runtime.js'
import { normalizeBasePath } from './lib/base-path.js'
import type { AuthStrategy } from './lib/token-refresh.js'
import { useSessionExpiry } from './lib/use-session-expiry.js'
import type { SessionPayload } from '@acme/auth-core'

/** Props of {@link AuthProvider}. All but `children` are read once, when it mounts. */
export interface AuthProviderProps {
  /**
   * The body of `GET /auth/session` as the server saw it while rendering this page. With it the
   * page hydrates signed in (or out) with no flash and no request; without it (client-only
   * apps) the status starts as `loading` and the provider fetches the session.
   */
  initialSession?: SessionPayload
  /**
   * Where the auth routes are mounted.
   * @default '/auth'
   */
  basePath?: string
  /**
   * The server's strategy (`createAuth({ strategy })`). On `'token'` the provider keeps the
   * access cookie fresh: it renews it with `POST <basePath>/refresh` ahead of its expiry, and
   * whenever the server answers signed out (`GET <basePath>/session` says `{ user: null }`, an
   * API call 401s, or the page was rendered signed out) it renews once before it reports signed
   * out. One refresh at a time for the whole QueryClient; a refused refresh reports signed out.
   * @default 'session'
   */
  strategy?: AuthStrategy
  /**
   * The app's QueryClient. Defaults to the one of an enclosing `<QueryClientProvider>`, else a
   * new one owned by this provider.
   */
  queryClient?: QueryClient
  /**
   * The `fetch` underneath the auth fetch client (tests, custom runtimes).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch
  children?: ReactNode
}

/**
 * Makes the session available to the hooks and components of this package. It keeps one
 * session query, refetched on window focus, at the session's `expiresAt`, and when another tab
 * signs in or out (BroadcastChannel). It stores nothing: no Web Storage, no cookies from script.
 *
 * @example
 * ```tsx
 * // The server rendered the page with the body of GET /auth/session:
 * <AuthProvider initialSession={session}>
 *   <App />
 * </AuthProvider>
 * ```
 */
export function AuthProvider({ initialSession, basePath, strategy, queryClient, fetch, children }: AuthProviderProps): ReactElement {
  const ambient = useContext(QueryClientContext)
  const [runtime] = useState(() =>
    createAuthRuntime({
      queryClient: queryClient ?? ambient ?? new QueryClient(),
      basePath: normalizeBasePath(basePath, '<AuthProvider> basePath'),
      strategy: strategyOf(strategy),
      fetch,
      initialSession,
    }),
  )
  // The provider's own observer: it keeps the session query alive, fetches it when nothing was
  // rendered on the server, and drives the single expiry timer.
  const { data: expiresAt = null } = useQuery({ ...runtime.sessionQuery, select: expiryOf }, runtime.queryClient)
  useSessionExpiry(runtime, expiresAt)
  useEffect(() => runtime.connect(), [runtime])
  return <AuthContext.Provider value={runtime}>{children}</AuthContext.Provider>
}

function strategyOf(strategy: AuthStrategy | undefined): AuthStrategy {
  if (strategy === undefined || strategy === 'session' || strategy === 'token') return strategy ?? 'session'
  throw new TypeError("<AuthProvider> strategy must be 'session' or 'token'")
}

function expiryOf(payload: SessionPayload): string | null {
  return payload.user ? payload.session.expiresAt : null
}
