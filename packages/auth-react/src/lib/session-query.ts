import { queryOptions } from '@tanstack/react-query'
import type { AuthFetch } from '../create-auth-fetch.js'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import type { TokenRefresher } from './token-refresh.js'

/**
 * The one definition of the session query, shared by the provider and every hook.
 * Fresh until something says otherwise (`staleTime: Infinity`): mounting a hook never refetches,
 * so a hydrated page makes no request. What does refetch it: window focus and reconnect (always),
 * the session's `expiresAt`, another tab's sign-in or sign-out, and a 401 from the API.
 * On the token strategy (`refresher` given) a `{ user: null }` answer is not final: the access
 * cookie may only have lapsed, so the tokens are renewed once and the renewed session is the answer.
 */
export function sessionQueryOptions(fetch: AuthFetch, basePath: string, refresher?: TokenRefresher) {
  return queryOptions({
    queryKey: authQueryKeys.session(),
    queryFn: async ({ signal }) => {
      const seen = refresher?.generation ?? 0
      const payload = await fetch<SessionPayload>(`${basePath}/session`, { signal })
      if (!refresher) return payload
      if (payload.user) {
        refresher.reset()
        return payload
      }
      return (await refresher.renew(seen)) ?? payload
    },
    staleTime: Infinity,
    refetchOnWindowFocus: 'always',
    refetchOnReconnect: 'always',
    retry: retryServerErrors,
  })
}

/** Two retries for network and 5xx failures; a 4xx answer is final. */
export function retryServerErrors(failureCount: number, error: unknown): boolean {
  const status = statusOf(error)
  return failureCount < 2 && (status === undefined || status >= 500)
}

/** The HTTP status of a failed request (matched by shape: bundles may hold two FetchError classes). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}
