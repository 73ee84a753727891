import { NextResponse, type NextRequest } from 'next/server.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { FetchAuth } from '../fetch/create-fetch-auth.js'
import { checkProtectedPaths, isProtectedPath } from './protected-paths.js'
import { applySetCookies } from './request-cookies.js'

export interface NextProxyOptions {
  /** Paths for signed-in users: each path itself and everything below it (`/` is `/` alone). */
  protect: readonly string[]
  /** Where signed-out visitors of a protected path go (303), with `?returnTo=<path and query>`. */
  signIn: string
  /**
   * Builds the response for a request that goes on (default `NextResponse.next({ request: { headers } })`),
   * to add headers of your own (a CSP nonce, …). `requestHeaders` are the request's, with the
   * cookies this response writes already applied: pass them on as the request's headers.
   */
  next?: (request: NextRequest, context: { auth: RequestAuth | null; requestHeaders: Headers }) => NextResponse | Promise<NextResponse>
}

/**
 * The proxy (`proxy.ts` / `middleware.ts`, Node.js runtime): it reads the request's auth where
 * cookies can be written, so a session whose cookie slides or rotates is written here
 * (`canWriteCookies: true`), and the page rendered after it sees the new cookies. Signed-out
 * visitors of a protected path are redirected to `signIn` (303).
 */
export function createNextProxy(fetchAuth: () => Promise<FetchAuth>, options: NextProxyOptions): (request: NextRequest) => Promise<NextResponse> {
  const protect = checkProtectedPaths(options.protect)
  if (typeof options.signIn !== 'string' || !options.signIn.startsWith('/')) throw new TypeError("auth.proxy: signIn must be a path starting with '/'")
  return async (request) => {
    const { auth, setCookies } = await (await fetchAuth()).getAuth(request, { canWriteCookies: true })
    const { pathname, search } = request.nextUrl
    let response: NextResponse
    if (!auth && isProtectedPath(pathname, protect) && pathname !== options.signIn) {
      const target = new URL(options.signIn, request.url)
      target.searchParams.set('returnTo', `${pathname}${search}`)
      response = NextResponse.redirect(target, 303)
    } else {
      const requestHeaders = new Headers(request.headers)
      if (setCookies.length > 0) requestHeaders.set('cookie', applySetCookies(request.headers.get('cookie'), setCookies))
      response = options.next ? await options.next(request, { auth, requestHeaders }) : NextResponse.next({ request: { headers: requestHeaders } })
    }
    for (const cookie of setCookies) response.headers.append('set-cookie', cookie)
    return response
  }
}
