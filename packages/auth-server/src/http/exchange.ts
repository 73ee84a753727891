import type { Readable } from 'node:stream'
import type { RequestAuth } from '../core/request-auth.js'

/**
 * One HTTP request as the framework-neutral layer sees it, and the writes it may make beside the
 * answer (cookies, headers). Each adapter implements it over its framework's request without
 * copying it: Express over `req.headers`, Fetch over a `Request`, Next.js over `cookies()`/`headers()`.
 */
export interface Exchange {
  /** Upper-case method. */
  readonly method: string
  /** The path under the handler's mount (`/session` under `/auth`), without the query. */
  readonly path: string
  /** The query string with its `?`, or `''`. */
  readonly search: string
  /** A request header by its lower-case name; repeated headers joined as HTTP joins them. */
  header(name: string): string | undefined
  /** Every request header, lower-case names (what the BFF forwards, after filtering). */
  headers(): Readonly<Record<string, string | string[] | undefined>>
  /** The client's address as the adapter trusts it (Express: `req.ip`), or `undefined`. */
  readonly ip: string | undefined
  /** Whether the request carries a body (Node: a length or chunked encoding; Fetch: a body stream). */
  hasBody(): boolean
  /**
   * The request body: `{ parsed }` when a framework already parsed it (an `express.json()` in
   * front), `{ text }` read up to `limitBytes` (more is a 413), or `undefined` for none.
   */
  readBody(limitBytes: number): Promise<{ parsed: unknown } | { text: string } | undefined>
  /** The body as a stream, for the BFF; `undefined` when the request has none. */
  bodyStream(): Readable | undefined
  /**
   * Whether a `Set-Cookie` written now reaches the browser. `false` in a React Server Component:
   * the layer then writes no cookie and promises none (the store's expiry is the truth).
   */
  readonly canWriteCookies: boolean
  /** Adds one serialised `Set-Cookie` line to what is sent. */
  setCookie(line: string): void
  /** Sets a response header (replacing one of the same name). */
  setHeader(name: string, value: string): void
  /** The identity: `undefined` until authenticated, then the signed-in identity or `null`. */
  auth: RequestAuth | null | undefined
  /** The request's id (its sane `X-Request-Id`, else a new UUID), kept for the whole request. */
  requestId: string | undefined
  /** Set when a Bearer header (native client) authenticated the request: exempt from CSRF. */
  bearer?: boolean
  /** The parsed body, once the layer has read it. */
  body?: unknown
}
