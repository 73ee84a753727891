// A browser's networking, for driving a real server from Node tests: one cookie jar shared by
// every "tab", the page's Origin on unsafe requests, and a log of what was sent.
import { request as httpRequest } from 'node:http'
import { appOrigin } from './test-server.js'

export interface SentRequest {
  method: string
  path: string
  headers: Record<string, string>
}

export interface TestBrowser {
  /** A `fetch` with this browser's cookies; relative URLs go to the server, as for a page on it. */
  fetch: typeof globalThis.fetch
  /** Every request sent, in order. */
  sent: SentRequest[]
  /** Cookie name → value. `Secure` and `__Host-` cookies are kept and sent, as browsers do for localhost. */
  jar: Map<string, string>
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const nullBodyStatuses = new Set([101, 204, 205, 304])

/**
 * Built on node:http rather than the global fetch: the test environment (happy-dom) replaces the
 * global fetch with its own, which would apply CORS between the page origin and 127.0.0.1.
 */
export function createTestBrowser(serverUrl: string, userAgent = 'test-browser'): TestBrowser {
  const jar = new Map<string, string>()
  const sent: SentRequest[] = []

  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('test browser: pass a URL, not a Request')
    const url = new URL(String(input), serverUrl)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { 'user-agent': userAgent }
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value
    })
    // A browser adds Origin to every unsafe request, and sends its cookies with same-origin ones.
    if (unsafeMethods.has(method)) headers.origin = appOrigin
    if (init.credentials !== 'omit' && jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    if (init.body != null && typeof init.body !== 'string') throw new TypeError('test browser: only string bodies')
    const body = init.body ?? undefined
    // As browsers do: node:http sends no length for a DELETE body by default, so the server would not read it.
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
    sent.push({ method, path: url.pathname + url.search, headers: { ...headers } })

    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal
      if (signal?.aborted) return reject(new Error('aborted'))
      const req = httpRequest(url, { method, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) remember(jar, line)
          const responseHeaders = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            if (name === 'set-cookie' || value === undefined) continue
            responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value)
          }
          const status = res.statusCode ?? 500
          const text = Buffer.concat(chunks).toString('utf8')
          resolve(new Response(nullBodyStatuses.has(status) ? null : text, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }))
        })
      })
      req.on('error', reject)
      signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true })
      req.end(body)
    })
  }
  return { fetch, sent, jar }
}

function remember(jar: Map<string, string>, line: string) {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
  const eq = pair.indexOf('=')
  const name = pair.slice(0, eq)
  const expired = attributes.some((a) => {
    const lower = a.toLowerCase()
    return lower === 'max-age=0' || (lower.startsWith('expires=') && Date.parse(a.slice(8)) <= Date.now())
  })
  if (expired) jar.delete(name)
  else jar.set(name, pair.slice(eq + 1))
}
