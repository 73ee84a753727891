import type { QueryClient } from '@tanstack/react-query'
import { createFetch, type $Fetch, type FetchError } from 'ofetch'
import { createAuthenticatedFetch } from './lib/authenticated-fetch.js'
import { normalizeBasePath } from './lib/base-path.js'
import { tokenRefresherFor, type AuthStrategy, type TokenRefresher } from './lib/token-refresh.js'
import type { ProblemDetails } from './http-types.js'

/** An ofetch instance bound to the app's auth server (see {@link createAuthFetch}). */
export type AuthFetch = $Fetch

/** The error an {@link AuthFetch} call rejects with: `status` and the problem+json body as `data`. */
export type AuthFetchError = FetchError<ProblemDetails>

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions {
  /** The QueryClient that holds the session query; a 401 invalidates it there. */
  queryClient: QueryClient
  /**
   * Where the auth routes are mounted (`GET <basePath>/csrf` supplies a token when signed out).
   * @default '/auth'
   */
  basePath?: string
  /**
   * The server's strategy. On `'token'` a 401 first renews the access cookie with
   * `POST <basePath>/refresh` (one refresh at a time for everything on this QueryClient,
   * the provider included) and sends the request again; only a failed refresh reaches the caller.
   * @default 'session'
   */
  strategy?: AuthStrategy
  /**
   * The `fetch` underneath (tests, or a server runtime's own).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch
}

/**
 * A fetch client for the app's own API, on ofetch: same-origin credentials, the `x-csrf-token`
 * header on POST, PUT, PATCH and DELETE (the token is held in memory, fetched from
 * `GET /auth/csrf` when there is none yet), and on a 401 the session query is invalidated so the
 * UI flips to signed out. With `strategy: 'token'` a 401 first renews the access cookie and the
 * request is sent once more. Nothing else is retried (`retry: 0`); react-query decides about retries.
 * Requests to other origins pass through untouched: no token, no 401 handling.
 *
 * Inside React, prefer {@link useAuthFetch}, which returns the provider's instance.
 *
 * @example
 * ```ts
 * const api = createAuthFetch({ queryClient })
 * const note = await api<Note>('/api/notes', { method: 'POST', body: { text: 'hello' } })
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): AuthFetch {
  return createAuthClient(options).fetch
}

/** The fetch client and, on the token strategy, its refresher (which the provider shares). Internal. */
export function createAuthClient(options: AuthFetchOptions): { fetch: AuthFetch; refresher: TokenRefresher | undefined } {
  if (!options || typeof options.queryClient?.getQueryData !== 'function') {
    throw new TypeError('createAuthFetch: options.queryClient must be a QueryClient')
  }
  const basePath = normalizeBasePath(options.basePath, 'createAuthFetch: options.basePath')
  const strategy = options.strategy ?? 'session'
  if (strategy !== 'session' && strategy !== 'token') throw new TypeError("createAuthFetch: options.strategy must be 'session' or 'token'")
  // Late-bound, so a fetch installed after this call (polyfill, test spy) is the one used.
  const fetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))
  const refresher = strategy === 'token' ? tokenRefresherFor(options.queryClient, basePath, fetch) : undefined
  const client = createFetch({
    fetch: createAuthenticatedFetch({ queryClient: options.queryClient, basePath, fetch, refresher }),
    defaults: { retry: 0 },
  })
  return { fetch: client, refresher }
}
