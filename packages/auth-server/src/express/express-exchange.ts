import type { Readable } from 'node:stream'
import type { Request, Response } from 'express'
import type { Exchange } from '../http/exchange.js'
import { tooLarge } from '../http/read-body.js'
import type { RequestAuth } from '../core/request-auth.js'
import { installAuthSlot } from './request-auth-slot.js'

/**
 * Request ids by request, so that every exchange made for one request (the middleware's, the
 * BFF's) shares it. Not a property on `req`: Express 5 re-prototypes each request, and a new own
 * property there costs a fresh hidden class per request.
 */
const requestIds = new WeakMap<Request, string>()

/**
 * The layer's view of an Express request: reads `req.headers` in place (no `Request` or `Headers`
 * object is built), keeps the identity on `req.auth` and writes cookies with `res.append`.
 */
export class ExpressExchange implements Exchange {
  readonly req: Request
  readonly res: Response
  readonly canWriteCookies = true
  body?: unknown
  bearer?: boolean
  #path: string | undefined

  constructor(req: Request, res: Response, path?: string) {
    this.req = req
    this.res = res
    this.#path = path
  }

  /** The path under the mount, read from Express only when asked: the middleware never needs it. */
  get path(): string {
    return (this.#path ??= this.req.path)
  }

  get method(): string {
    return this.req.method
  }

  get search(): string {
    const url = this.req.url
    const at = url.indexOf('?')
    return at < 0 ? '' : url.slice(at)
  }

  get ip(): string | undefined {
    return this.req.ip ?? this.req.socket.remoteAddress
  }

  get auth(): RequestAuth | null | undefined {
    return this.req.auth
  }

  set auth(value: RequestAuth | null | undefined) {
    installAuthSlot(this.req)
    this.req.auth = value
  }

  get requestId(): string | undefined {
    return requestIds.get(this.req)
  }

  set requestId(value: string | undefined) {
    if (value === undefined) requestIds.delete(this.req)
    else requestIds.set(this.req, value)
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }

  headers(): Readonly<Record<string, string | string[] | undefined>> {
    return this.req.headers
  }

  hasBody(): boolean {
    return this.req.headers['transfer-encoding'] !== undefined || Number(this.req.headers['content-length'] ?? 0) > 0
  }

  async readBody(limitBytes: number): Promise<{ parsed: unknown } | { text: string } | undefined> {
    // Another middleware (express.json(), a body parser) may have read it already.
    if (this.req.body !== undefined) return { parsed: this.req.body }
    if (this.req.readableEnded) return undefined
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limitBytes) throw tooLarge()
      chunks.push(chunk)
    }
    return { text: Buffer.concat(chunks).toString('utf8') }
  }

  bodyStream(): Readable | undefined {
    return this.req.body === undefined && !this.req.readableEnded ? this.req : undefined
  }

  setCookie(line: string): void {
    this.res.append('Set-Cookie', line)
  }

  setHeader(name: string, value: string): void {
    this.res.setHeader(name, value)
  }
}
