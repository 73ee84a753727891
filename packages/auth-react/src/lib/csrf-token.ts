import type { QueryClient } from '@tanstack/react-query'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'

/**
 * The CSRF token to send now, from memory only (never read from the page's cookies): the one that came
 * with the signed-in session, else one from `GET <basePath>/csrf`, fetched once and kept in the
 * query cache (`authQueryKeys.csrf()`), so concurrent requests share a single fetch.
 */
export function csrfTokenFor(queryClient: QueryClient, basePath: string, fetch: typeof globalThis.fetch): Promise<string> {
  const session = queryClient.getQueryData<SessionPayload>(authQueryKeys.session())
  if (session?.user) return Promise.resolve(session.csrfToken)
  return queryClient.fetchQuery({
    queryKey: authQueryKeys.csrf(),
    queryFn: ({ signal }) => fetchCsrfToken(fetch, basePath, signal),
    staleTime: Infinity,
    retry: false,
  })
}

/** `GET <basePath>/csrf`: a token bound to the cookies the browser holds right now. */
export async function fetchCsrfToken(fetch: typeof globalThis.fetch, basePath: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(`${basePath}/csrf`, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) })
  if (!response.ok) throw new Error(`GET ${basePath}/csrf answered ${response.status}`)
  const body = (await response.json()) as { csrfToken?: unknown }
  if (typeof body.csrfToken !== 'string') throw new Error(`GET ${basePath}/csrf answered without a csrfToken`)
  return body.csrfToken
}
