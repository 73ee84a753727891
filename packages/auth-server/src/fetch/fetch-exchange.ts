import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import type { Exchange } from '../http/exchange.js'
import { tooLarge } from '../http/read-body.js'
import type { RequestAuth } from '../core/request-auth.js'

/** What a Fetch exchange is built from: a whole `Request`, or only headers (Server Components). */
export interface FetchInput {
  method?: string
  /** The path under the handler's mount. */
  path: string
  search?: string
  headers: Headers
  request?: Request
  ip?: string | undefined
  canWriteCookies: boolean
}

/**
 * The layer's view of a Fetch `Request` (or of bare `Headers`): headers read in place, cookies
 * and headers to send collected for the `Response`.
 */
export class FetchExchange implements Exchange {
  readonly method: string
  readonly path: string
  readonly search: string
  readonly ip: string | undefined
  readonly canWriteCookies: boolean
  readonly setCookies: string[] = []
  readonly responseHeaders: Headers = new Headers()
  auth: RequestAuth | null | undefined
  requestId: string | undefined
  body?: unknown
  bearer?: boolean
  readonly #headers: Headers
  readonly #request: Request | undefined
  #all: Record<string, string> | undefined

  constructor(input: FetchInput) {
    this.method = (input.method ?? input.request?.method ?? 'GET').toUpperCase()
    this.path = input.path
    this.search = input.search ?? ''
    this.ip = input.ip
    this.canWriteCookies = input.canWriteCookies
    this.#headers = input.headers
    this.#request = input.request
  }

  header(name: string): string | undefined {
    // Fetch joins repeated Cookie headers with ', '; HTTP/1 servers join them with '; '.
    const value = this.#headers.get(name)
    return value ?? undefined
  }

  headers(): Readonly<Record<string, string>> {
    return (this.#all ??= Object.fromEntries(this.#headers))
  }

  hasBody(): boolean {
    // A length says it (Next.js hands every POST a body stream, an empty one included); chunked
    // or unknown length: the stream decides.
    const length = this.#headers.get('content-length')
    if (length !== null) return Number(length) > 0
    return this.#request?.body != null
  }

  async readBody(limitBytes: number): Promise<{ text: string } | undefined> {
    const stream = this.#request?.body
    if (!stream) return undefined
    const chunks: Uint8Array[] = []
    let size = 0
    // Leaving the loop early cancels the stream: nothing past the limit is read.
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength
      if (size > limitBytes) throw tooLarge()
      chunks.push(chunk)
    }
    return { text: Buffer.concat(chunks).toString('utf8') }
  }

  bodyStream(): Readable | undefined {
    const stream = this.#request?.body
    return stream ? Readable.fromWeb(stream as NodeReadableStream<Uint8Array>, { highWaterMark: 64 * 1024 }) : undefined
  }

  setCookie(line: string): void {
    this.setCookies.push(line)
  }

  setHeader(name: string, value: string): void {
    this.responseHeaders.set(name, value)
  }
}
