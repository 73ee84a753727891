import type { QueryClient } from '@tanstack/react-query'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import { csrfTokenFor } from './csrf-token.js'
import { headersOf, methodOf, urlOf } from './request-parts.js'
import { isSameOrigin, pathOf } from './same-origin.js'
import type { TokenRefresher } from './token-refresh.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export interface AuthenticatedFetchOptions {
  queryClient: QueryClient
  basePath: string
  fetch: typeof globalThis.fetch
  /** Token strategy only: renews the access cookie on a 401, then the request is sent once more. */
  refresher?: TokenRefresher | undefined
}

/**
 * A `fetch` for the app's own origin: same-origin credentials, `x-csrf-token` on unsafe methods,
 * and the session query invalidated on a 401. On the token strategy a 401 first renews the access
 * cookie (one refresh shared by every request that failed meanwhile) and sends the request again.
 * It works at the `fetch` level rather than through ofetch hooks, because a caller's own
 * `onRequest`/`onResponse` options replace ofetch's defaults.
 */
export function createAuthenticatedFetch({ queryClient, basePath, fetch, refresher }: AuthenticatedFetchOptions): typeof globalThis.fetch {
  const sessionKey = authQueryKeys.session()
  const loginPath = `${basePath}/login`
  // A 401 from these means wrong credentials or a dead refresh token, not a lapsed access cookie.
  // Changing the password and deleting the account check the current password: sending one of
  // them again after a refresh would count a wrong password twice against the sign-in limits.
  const noRefresh = new Set([loginPath, `${basePath}/refresh`, `${basePath}/token`, `${basePath}/password`, `${basePath}/account`])

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

  const prepare = async (input: RequestInfo | URL, init: RequestInit | undefined): Promise<RequestInit> => {
    const request: RequestInit = { credentials: 'same-origin', ...init }
    if (!safeMethods.has(methodOf(input, init))) {
      const headers = headersOf(input, init)
      if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', await csrfTokenFor(queryClient, basePath, fetch))
      request.headers = headers
    }
    return request
  }

  return async (input, init) => {
    const url = urlOf(input)
    // The token never goes to another origin, and another origin's 401 says nothing about ours.
    if (!isSameOrigin(url)) return fetch(input, init)
    const seen = refresher?.generation ?? 0
    // A body that can be sent twice: a Request is cloned before its body is used; a stream is not replayable.
    const replayable = refresher !== undefined && !noRefresh.has(pathOf(url)) && !isStream(init?.body)
    const spare = replayable && input instanceof Request ? input.clone() : input
    const response = await fetch(input, await prepare(input, init))
    if (response.status === 401 && replayable && (await refresher.renew(seen))) {
      // Renewed: the same request once more, with the CSRF token of the renewed session.
      const retried = await fetch(spare, await prepare(spare, init))
      await reactTo(retried, url)
      return retried
    }
    await reactTo(response, url)
    return response
  }
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
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
