import type { QueryClient } from '@tanstack/react-query'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import { csrfTokenFor, fetchCsrfToken } from './csrf-token.js'

/**
 * The server's strategy (`createAuth({ strategy })`). On `token`, an expired access cookie reads
 * as signed out until `POST <basePath>/refresh` replaces it from the refresh cookie.
 */
export type AuthStrategy = 'session' | 'token'

/** Keeps the access cookie of the token strategy alive; one per QueryClient and base path. */
export interface TokenRefresher {
  /** How many refreshes succeeded so far. Read it before sending a request, hand it to {@link renew}. */
  readonly generation: number
  /**
   * Renews the cookies unless a refresh already succeeded since `seen` (then its result is
   * reused): one `POST <basePath>/refresh` at a time, shared by every caller. Resolves with the
   * session read right after the rotation (also written to the query cache), or `null` when the
   * refresh failed. Once the server refused, it is not asked again until {@link reset}.
   */
  renew(seen: number): Promise<SessionPayload | null>
  /** A signed-in session was seen again (sign-in, another tab): a later lapse may be refreshed. */
  reset(): void
}

const registry = new WeakMap<QueryClient, Map<string, TokenRefresher>>()

/** The refresher of this QueryClient and base path, created on first use with `fetch`. */
export function tokenRefresherFor(queryClient: QueryClient, basePath: string, fetch: typeof globalThis.fetch): TokenRefresher {
  let byPath = registry.get(queryClient)
  if (!byPath) registry.set(queryClient, (byPath = new Map<string, TokenRefresher>()))
  let refresher = byPath.get(basePath)
  if (!refresher) byPath.set(basePath, (refresher = createTokenRefresher(queryClient, basePath, fetch)))
  return refresher
}

function createTokenRefresher(queryClient: QueryClient, basePath: string, fetch: typeof globalThis.fetch): TokenRefresher {
  let generation = 0
  let latest: SessionPayload | null = null
  let inFlight: Promise<SessionPayload | null> | undefined
  let refused = false
  // Bumped by reset(): a refusal that answers after a sign-in belongs to the identity before it.
  let epoch = 0

  const post = (csrfToken: string) =>
    fetch(`${basePath}/refresh`, { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken } })

  const run = async (): Promise<SessionPayload | null> => {
    const started = epoch
    let response = await post(await csrfTokenFor(queryClient, basePath, fetch))
    if (response.status === 403) {
      // The held token is bound to a session whose access cookie the browser already dropped:
      // ask for one bound to the cookies it holds now, and keep it for signed-out requests.
      const fresh = await fetchCsrfToken(fetch, basePath)
      queryClient.setQueryData(authQueryKeys.csrf(), fresh)
      response = await post(fresh)
    }
    if (response.status === 401 || response.status === 403) {
      if (started === epoch) refused = true
      return null
    }
    if (!response.ok) return null
    // The rotation may have moved the CSRF binding: the session read below carries the current token.
    queryClient.removeQueries({ queryKey: authQueryKeys.csrf() })
    const answer = await fetch(`${basePath}/session`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
    if (!answer.ok) return null
    const payload = (await answer.json()) as SessionPayload
    if (!payload.user) return null
    generation += 1
    latest = payload
    queryClient.setQueryData(authQueryKeys.session(), payload)
    return payload
  }

  return {
    get generation() {
      return generation
    },
    renew(seen) {
      if (seen !== generation) return Promise.resolve(latest)
      if (inFlight) return inFlight
      if (refused) return Promise.resolve(null)
      inFlight = run()
        .catch(() => null)
        .finally(() => {
          inFlight = undefined
        })
      return inFlight
    },
    reset() {
      refused = false
      epoch += 1
    },
  }
}

/**
 * When to renew ahead of `expiresAt`: a minute early for long lifetimes, with a third of the
 * time left for short ones (so a 4-second token is renewed after about 2.7 seconds).
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const remaining = expiresAt - now
  return Math.max(0, remaining > 180_000 ? remaining - 60_000 : (remaining * 2) / 3)
}
