import type { QueryClient } from '@tanstack/react-query'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '../session-payload.js'
import { csrfTokenFor } from './csrf-token.js'
import { headersOf, methodOf, urlOf } from './request-parts.js'
import { isSameOrigin, pathOf } from './same-origin.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export interface AuthenticatedFetchOptions {
  queryClient: QueryClient
  basePath: string
  fetch: typeof globalThis.fetch
}

/**
 * A `fetch` for the app's own origin: same-origin credentials, `x-csrf-token` on unsafe methods,
 * and the session query invalidated on a 401. It works at the `fetch` level rather than through
 * ofetch hooks, because a caller's own `onRequest`/`onResponse` options replace ofetch's defaults.
 */
export function createAuthenticatedFetch({ queryClient, basePath, fetch }: AuthenticatedFetchOptions): typeof globalThis.fetch {
  const sessionKey = authQueryKeys.session()
  const loginPath = `${basePath}/login`

  const reactTo = async (response: Response, url: string) => {
    if (response.status === 401) {
      // Only a session we believe in can be lost: once the cache says signed out, further 401s
      // change nothing, so a polling query that keeps failing cannot start a refetch loop. A 401
      // from the sign-in route means wrong credentials, not a lost session.
      const cached = queryClient.getQueryData<SessionPayload>(sessionKey)
      if (cached?.user && pathOf(url) !== loginPath) {
        void queryClient.invalidateQueries({ queryKey: sessionKey }, { cancelRefetch: false })
      }
    } else if (response.status === 403 && (await isCsrfFailure(response))) {
      // Our token is stale (another tab signed in or out, so the cookie changed): drop it and
      // learn the current one from the server. The request is not retried; the next one works.
      queryClient.removeQueries({ queryKey: authQueryKeys.csrf() })
      void queryClient.invalidateQueries({ queryKey: sessionKey }, { cancelRefetch: false })
    }
  }

  return async (input, init) => {
    const url = urlOf(input)
    // The token never goes to another origin, and another origin's 401 says nothing about ours.
    if (!isSameOrigin(url)) return fetch(input, init)
    const request: RequestInit = { credentials: 'same-origin', ...init }
    if (!safeMethods.has(methodOf(input, init))) {
      const headers = headersOf(input, init)
      if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', await csrfTokenFor(queryClient, basePath, fetch))
      request.headers = headers
    }
    const response = await fetch(input, request)
    await reactTo(response, url)
    return response
  }
}

async function isCsrfFailure(response: Response): Promise<boolean> {
  if (!response.headers.get('content-type')?.includes('json')) return false
  try {
    const problem = (await response.clone().json()) as { type?: unknown }
    return typeof problem.type === 'string' && problem.type.endsWith('/csrf')
  } catch {
    return false
  }
}
