import { PassThrough } from 'node:stream'
import type { SessionPayload } from '@acme/auth-core'
import type { AuthOptions } from '../config/auth-options.js'
import { coreOf, type AuthBffOptions, type AuthCore } from '../core/create-auth-core.js'
import { json } from '../http/answer.js'
import { notFound } from '../errors/problem-error.js'
import { problemAnswer } from '../http/problem-answer.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { RequiredAuthLevel } from '../core/auth-level.js'
import { FetchExchange } from './fetch-exchange.js'
import { toResponse } from './to-response.js'

/** Options of the Fetch adapter. */
export interface FetchAuthOptions {
  /**
   * The client's IP for a request (limits per IP, audit, session device facts). Fetch has no
   * socket: give it from your runtime (`Deno.serve`'s `info.remoteAddr`, Bun's `server.requestIP`,
   * a trusted proxy's header). @default none: limits key on `unknown`, so every client shares one budget
   */
  clientIp?: (request: Request) => string | undefined
}

/** A request's identity and the cookies to send with whatever answers it. */
export interface FetchAuthResult {
  auth: RequestAuth | null
  /** `Set-Cookie` lines (a slid session cookie, a cleared dead one); empty when cookies cannot be written. */
  setCookies: string[]
}

/** What {@link createFetchAuth} returns. */
export interface FetchAuth {
  readonly core: AuthCore
  /** Every route under `http.basePath` (`/auth`): `Request` in, `Response` out. 404 problem+json elsewhere. */
  handler(request: Request): Promise<Response>
  /**
   * The identity of a request (or of its headers alone). `canWriteCookies: false` where the
   * caller cannot send `Set-Cookie` (a Server Component): nothing is promised then. @default true for a Request, false for Headers
   */
  getAuth(input: Request | Headers, options?: { canWriteCookies?: boolean }): Promise<FetchAuthResult>
  /** What `GET /auth/session` would answer, to embed in server-rendered HTML. */
  sessionPayload(input: Request | Headers, options?: { canWriteCookies?: boolean }): Promise<{ payload: SessionPayload; setCookies: string[] }>
  /** The CSRF check for the app's own unsafe handlers: the 403 `Response`, or `null` when the request passes. */
  csrf(request: Request): Promise<Response | null>
  /**
   * The step-up guard for the app's own handlers (`requireAuthLevel` of the Express adapter): the
   * 401 problem+json `Response` (`…/unauthenticated` when signed out, `…/mfa-required` when the
   * session proved one factor only: prompt, `POST /auth/mfa/step-up`, retry), or `null` when it passes.
   */
  checkAuthLevel(request: Request, level: RequiredAuthLevel): Promise<Response | null>
  /** The BFF for Fetch runtimes: `handler(request)` answers under `mount` (default `/api`), streaming. */
  bff(options: AuthBffOptions): { handler(request: Request): Promise<Response>; close(): Promise<void> }
  /** `GET /.well-known/jwks.json`. Needs `tokens`. */
  jwks(): Promise<Response>
}

/**
 * Acme Auth for any Fetch runtime (Hono, Bun, Deno, Cloudflare-style handlers, Next.js route
 * handlers): the same routes, cookies, CSRF and errors as the Express adapter, over the same core.
 *
 * @example
 * ```ts
 * const auth = createFetchAuth({ sessions, users, passwords, http: { origin, secret } })
 * app.all('/auth/*', (c) => auth.handler(c.req.raw)) // Hono
 * ```
 */
export function createFetchAuth(options: AuthOptions | AuthCore | { core: AuthCore }, fetchOptions: FetchAuthOptions = {}): FetchAuth {
  const core = coreOf(options)
  const ipOf = fetchOptions.clientIp ?? (() => undefined)
  const exchangeOf = (input: Request | Headers, path: string, canWriteCookies?: boolean) => {
    if (input instanceof Headers) return new FetchExchange({ path, headers: input, canWriteCookies: canWriteCookies ?? false })
    const url = new URL(input.url)
    return new FetchExchange({
      request: input,
      path,
      search: url.search,
      headers: input.headers,
      ip: ipOf(input),
      canWriteCookies: canWriteCookies ?? true,
    })
  }
  const base = core.basePath

  return Object.freeze({
    core,
    async handler(request: Request) {
      const { pathname } = new URL(request.url)
      const under = pathname === base || pathname.startsWith(`${base}/`)
      const ex = exchangeOf(request, under ? pathname.slice(base.length) || '/' : pathname)
      const answer = under ? await core.handle(ex) : problemAnswer(notFound())
      return toResponse(answer, ex)
    },
    async getAuth(input: Request | Headers, opts: { canWriteCookies?: boolean } = {}) {
      const ex = exchangeOf(input, '/', opts.canWriteCookies)
      const auth = await core.authenticate(ex)
      return { auth, setCookies: ex.setCookies }
    },
    async sessionPayload(input: Request | Headers, opts: { canWriteCookies?: boolean } = {}) {
      const ex = exchangeOf(input, '/', opts.canWriteCookies)
      const payload = await core.sessionPayload(ex)
      return { payload, setCookies: ex.setCookies }
    },
    async csrf(request: Request) {
      const { pathname } = new URL(request.url)
      const ex = exchangeOf(request, pathname)
      const refused = await core.csrf(ex)
      return refused ? toResponse(refused, ex) : null
    },
    async checkAuthLevel(request: Request, level: RequiredAuthLevel) {
      const ex = exchangeOf(request, new URL(request.url).pathname)
      const refused = await core.checkAuthLevel(ex, level)
      return refused ? toResponse(refused, ex) : null
    },
    bff(bffOptions: AuthBffOptions) {
      const bff = core.bff(bffOptions)
      return {
        async handler(request: Request): Promise<Response> {
          const url = new URL(request.url)
          const ex = exchangeOf(request, url.pathname)
          const afterMount = bff.afterMount(`${url.pathname}${url.search}`)
          if (afterMount === null) return toResponse(problemAnswer(notFound()), ex)
          // The upstream's status and headers resolve the Response; its body streams on after.
          let started: ((response: Response) => void) | undefined
          const headersArrived = new Promise<Response>((resolve) => (started = resolve))
          const done = bff.forward(ex, afterMount, (status, headers) => {
            // A runtime aborts `request.signal` when the client goes away: the upstream request ends
            // with it (a throw here aborts it before any body stream exists).
            if (request.signal.aborted) throw new Error('the client went away before the answer')
            const body = new PassThrough()
            const out = new Headers()
            for (const [name, value] of Object.entries(headers)) {
              if (Array.isArray(value)) for (const item of value) out.append(name, item)
              else out.set(name, value)
            }
            started!(toResponse({ status, headers: Object.fromEntries(out), body: noBody(status) ? undefined : { stream: body } }, ex))
            if (noBody(status)) body.resume()
            request.signal.addEventListener('abort', () => body.destroy(), { once: true })
            return body
          })
          return Promise.race([headersArrived, done.then((answer) => toResponse(answer ?? json(null, 502), ex))])
        },
        close: () => bff.close(),
      }
    },
    async jwks() {
      const ex = exchangeOf(new Headers(), '/.well-known/jwks.json', false)
      return toResponse(await core.jwks(), ex)
    },
  } satisfies FetchAuth)
}

/** Statuses whose `Response` must have a null body. */
const noBody = (status: number) => status === 204 || status === 205 || status === 304
