import type { SessionPayload, SessionUser } from '@acme/auth-core'
import { redirect } from 'next/navigation.js'
import type { NextRequest, NextResponse } from 'next/server.js'
import { cache } from 'react'
import type { AuthOptions } from '../config/auth-options.js'
import type { AuthBffOptions, AuthCore } from '../core/create-auth-core.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { RequiredAuthLevel } from '../core/auth-level.js'
import { createFetchAuth, type FetchAuth } from '../fetch/create-fetch-auth.js'
import { withoutEmptyBody } from './empty-body.js'
import { createNextProxy, type NextProxyOptions } from './next-proxy.js'
import { requestHeaders } from './request-headers.js'

/** A Route Handler: what `app/**\/route.ts` exports per HTTP method. */
export type NextRouteHandler = (request: Request) => Promise<Response>

/**
 * What `createNextAuth` builds on: the options of `createAuth`, an `AuthCore` (shared with other
 * adapters, or with `createOAuth`), or a function returning either, called once, on the first
 * request (for stores that connect asynchronously: Redis, PostgreSQL, a key ring to load).
 */
export type NextAuthSource = AuthOptions | AuthCore | { core: AuthCore } | (() => AuthOptions | AuthCore | { core: AuthCore } | Promise<AuthOptions | AuthCore | { core: AuthCore }>)

export interface NextAuthOptions {
  /**
   * The client's IP for rate limits and audit events. Next gives Route Handlers no socket
   * address: behind your proxy, read the header it sets (`x-forwarded-for`, …). Default: none,
   * so every client shares one budget per route.
   */
  clientIp?: (request: Request) => string | undefined
}

/** Options of `auth.bff()` (those of the Express and Fetch BFF): `upstream`, `audience`, `mount` (default `/api`), `tokens`, timeouts. */
export type NextBffOptions = AuthBffOptions

/** `SessionPayload` when signed in. */
export type SignedInSession = Extract<SessionPayload, { user: SessionUser }>

export interface NextAuth {
  /** `app/auth/[...path]/route.ts`: `export const { GET, POST, DELETE } = auth.routes` (every /auth route, OAuth included). */
  readonly routes: { GET: NextRouteHandler; POST: NextRouteHandler; DELETE: NextRouteHandler }
  /** `app/.well-known/jwks.json/route.ts`: `export const { GET } = auth.jwks`. */
  readonly jwks: { GET: NextRouteHandler }
  /** `app/api/[...path]/route.ts`: `export const { GET, POST, PUT, PATCH, DELETE } = auth.bff({ upstream, audience })`. */
  bff(options: NextBffOptions): { GET: NextRouteHandler; POST: NextRouteHandler; PUT: NextRouteHandler; PATCH: NextRouteHandler; DELETE: NextRouteHandler }
  /**
   * The session (the body of `GET /auth/session`) in a Server Component, Route Handler or Server
   * Action: read once per request (React `cache()`), never writes a cookie (the store's expiry is
   * the truth; the proxy and the /auth routes write cookies). Throws `NextContextError` on the
   * edge runtime and inside `"use cache"`; a store failure throws (never a signed-in guess).
   */
  getSession(): Promise<SessionPayload>
  /** `getSession()`, or a redirect to `redirectTo` (default `/login`) when signed out. */
  requireSession(options?: { redirectTo?: string }): Promise<SignedInSession>
  /** Who sent `request` (default: the current request's headers), for a Route Handler's own checks. Writes no cookie. */
  getAuth(request?: Request): Promise<RequestAuth | null>
  /** The CSRF check of the /auth routes for the app's own unsafe Route Handlers: a 403 problem+json `Response`, or `null` when it passes. */
  csrf(request: Request): Promise<Response | null>
  /**
   * The step-up guard for the app's own Route Handlers: a 401 problem+json `Response`
   * (`…/mfa-required` when the session proved one factor only), or `null` when it has `level`.
   *
   * @example
   * ```ts
   * export async function POST(request: Request) {
   *   const refused = (await auth.csrf(request)) ?? (await auth.checkAuthLevel(request, 'mfa'))
   *   if (refused) return refused
   *   // …the sensitive action
   * }
   * ```
   */
  checkAuthLevel(request: Request, level: RequiredAuthLevel): Promise<Response | null>
  /** `proxy.ts` (Next 16) or `middleware.ts` (Next 15): `export default auth.proxy({ protect, signIn })`. */
  proxy(options: NextProxyOptions): (request: NextRequest) => Promise<NextResponse>
  /** The Fetch adapter underneath (`@acme/auth-server/fetch`), built on first use. */
  fetchAuth(): Promise<FetchAuth>
}

const methodsOf = <const M extends readonly string[]>(methods: M, handler: NextRouteHandler) =>
  Object.fromEntries(methods.map((method) => [method, handler])) as Record<M[number], NextRouteHandler>

/**
 * Acme Auth for the Next.js App Router (15 and 16), on the Fetch adapter.
 *
 * @example
 * ```ts
 * // auth.ts
 * export const auth = createNextAuth({ sessions, users, passwords, http: { origin, secret } })
 * // app/auth/[...path]/route.ts
 * export const { GET, POST, DELETE } = auth.routes
 * ```
 */
export function createNextAuth(source: NextAuthSource, options: NextAuthOptions = {}): NextAuth {
  let pending: Promise<FetchAuth> | undefined
  const fetchAuth = (): Promise<FetchAuth> => {
    pending ??= (async () => {
      const resolved = typeof source === 'function' ? await source() : source
      return createFetchAuth(resolved, options.clientIp ? { clientIp: options.clientIp } : {})
    })().catch((error: unknown) => {
      pending = undefined // a store that was down at start-up is tried again on the next request
      throw error
    })
    return pending
  }
  const route: NextRouteHandler = async (request) => (await fetchAuth()).handler(await withoutEmptyBody(request))

  const getSession = cache(async (): Promise<SessionPayload> => {
    const headers = await requestHeaders('getSession()')
    const { payload } = await (await fetchAuth()).sessionPayload(headers, { canWriteCookies: false })
    return payload
  })

  return {
    routes: methodsOf(['GET', 'POST', 'DELETE'], route),
    jwks: { GET: async () => (await fetchAuth()).jwks() },
    bff(bffOptions) {
      let bff: Promise<{ handler: NextRouteHandler }> | undefined
      const handler: NextRouteHandler = async (request) => {
        bff ??= fetchAuth().then((auth) => auth.bff(bffOptions))
        return (await bff).handler(request)
      }
      return methodsOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], handler)
    },
    getSession,
    async requireSession(requireOptions = {}) {
      const session = await getSession()
      if (!session.user) redirect(requireOptions.redirectTo ?? '/login')
      return session
    },
    async getAuth(request) {
      const input = request ?? (await requestHeaders('auth.getAuth()'))
      return (await (await fetchAuth()).getAuth(input, { canWriteCookies: false })).auth
    },
    csrf: async (request) => (await fetchAuth()).csrf(request),
    checkAuthLevel: async (request, level) => (await fetchAuth()).checkAuthLevel(request, level),
    proxy: (proxyOptions) => createNextProxy(fetchAuth, proxyOptions),
    fetchAuth,
  }
}
