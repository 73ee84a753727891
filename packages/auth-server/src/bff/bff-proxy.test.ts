import { startFakeUpstream, type FakeUpstream } from '@acme/auth-testing'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, setCookies } from '../../test/fixtures.js'
import { startLocalIssuer, type LocalIssuer } from '../../test/local-issuer.js'

let issuer: LocalIssuer
let upstream: FakeUpstream
let appServer: Server
let base: string
let bffClose: () => Promise<void>
let alice: ReturnType<typeof browser>

beforeAll(async () => {
  issuer = await startLocalIssuer()
  upstream = await startFakeUpstream({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience })
  const { app, auth } = await createTestApp()
  const bff = auth.bff({ upstream: upstream.url, tokens: issuer.source, timeoutMs: 300, maxBodyBytes: 64 * 1024 * 1024 })
  app.use(bff)
  bffClose = bff.close
  alice = browser(app)
  await alice.login('alice@example.com', 'alice-password')
  appServer = await new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server))
  })
  base = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`
})
afterAll(async () => {
  await bffClose()
  appServer.closeAllConnections()
  await new Promise((resolve) => appServer.close(resolve))
  await upstream.stop()
  await issuer.close()
})
beforeEach(() => {
  upstream.reset()
})

/** Alice's cookies as a header, for raw requests. */
const cookies = () => [...alice.jar].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ')

/** A raw HTTP request with the path exactly as given (no client-side normalisation). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Iterable<Buffer> | AsyncIterable<Buffer> | Buffer) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, path }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    if (Buffer.isBuffer(body)) req.end(body)
    else if (body) {
      void (async () => {
        for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r))
        req.end()
      })()
    } else req.end()
  })
}

const signedIn = (extra: Record<string, string> = {}) => ({ cookie: cookies(), origin, 'x-csrf-token': alice.csrf, ...extra })

describe('BFF proxy', () => {
  it('refuses anonymous requests with 401 and unsafe requests without CSRF with 403', async () => {
    expect((await raw('GET', '/api/notes')).status).toBe(401)
    const res = await raw('POST', '/api/notes', { cookie: cookies(), origin, 'content-type': 'application/json' }, Buffer.from('{}'))
    expect(res.status).toBe(403)
    expect(upstream.requests).toHaveLength(0)
  })

  it('header hygiene: the upstream sees our Bearer token and none of the browser’s credentials', async () => {
    const res = await raw('POST', '/api/notes?tag=a', signedIn({
      authorization: 'Bearer browser-supplied',
      'proxy-authorization': 'Basic x',
      connection: 'x-private',
      'x-private': 'hop',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      'content-type': 'application/json',
      accept: 'application/json',
    }), Buffer.from('{"title":"hi"}'))
    expect(res.status).toBe(200)
    const seen = upstream.requests[0]!
    expect(seen.url).toBe('/notes?tag=a')
    expect(seen.claims).toMatchObject({ sub: 'u-alice', aud: issuer.audience })
    expect(seen.headers.authorization).not.toBe('Bearer browser-supplied')
    for (const name of ['cookie', 'x-csrf-token', 'proxy-authorization', 'x-private']) expect(seen.headers[name], name).toBeUndefined()
    expect(seen.headers['x-forwarded-for']).not.toContain('6.6.6.6')
    expect(seen.headers['x-forwarded-host']).not.toBe('evil.example')
    expect(seen.headers['x-forwarded-proto']).toBe('http')
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen.headers.accept).toBe('application/json')
    expect(seen.body?.toString()).toBe('{"title":"hi"}')
  })

  it('strips Set-Cookie and hop-by-hop headers from the upstream’s answer', async () => {
    const sneaky = createServer((_req, res) => {
      res.setHeader('set-cookie', 'upstream=1')
      res.setHeader('connection', 'x-up-private')
      res.setHeader('x-up-private', '1')
      res.setHeader('x-visible', 'yes')
      res.end('ok')
    })
    await new Promise<void>((resolve) => sneaky.listen(0, '127.0.0.1', resolve))
    const { app, auth } = await createTestApp()
    const bff = auth.bff({ upstream: `http://127.0.0.1:${(sneaky.address() as AddressInfo).port}`, tokens: issuer.source })
    app.use(bff)
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const res = await bob.get('/api/anything')
    expect(res.status).toBe(200)
    expect(setCookies(res).some((line) => line.startsWith('upstream='))).toBe(false)
    expect(res.headers['x-up-private']).toBeUndefined()
    expect(res.headers['x-visible']).toBe('yes')
    await bff.close()
    sneaky.close()
  })

  it('an upstream 401 → one new token → one retry; a second 401 goes back as 401', async () => {
    await raw('GET', '/api/warm', signedIn())
    const before = issuer.source.mints
    upstream.behaveNext({ kind: 'status', status: 401 })
    const res = await raw('GET', '/api/notes', signedIn())
    expect(res.status).toBe(200)
    expect(issuer.source.mints).toBe(before + 1)
    expect(upstream.requests.map((r) => r.headers.authorization)).toHaveLength(3)
    expect(upstream.requests[1]!.headers.authorization).not.toBe(upstream.requests[2]!.headers.authorization)

    upstream.behaveNext({ kind: 'status', status: 401 }, 2)
    expect((await raw('GET', '/api/notes', signedIn())).status).toBe(401)
  })

  it('20 concurrent requests that all hit 401 cause exactly one refresh', async () => {
    await raw('GET', '/api/warm', signedIn())
    const stale = upstream.requests[0]!.claims!.jti
    const before = issuer.source.mints
    upstream.rejectTokens((claims) => claims.jti === stale, { holdUntil: 20 }) // all 20 meet the 401
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => raw('GET', '/api/notes', signedIn())))
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200))
      expect(issuer.source.mints).toBe(before + 1)
      expect(upstream.requests.filter((r) => r.claims?.jti === stale)).toHaveLength(21) // warm-up + 20
    } finally {
      upstream.rejectTokens(() => false)
    }
  })

  it('upstream down → 502, slow upstream → 504, both problem+json with nothing about the upstream', async () => {
    upstream.behaveNext({ kind: 'slow', delayMs: 2_000 })
    const slow = await raw('GET', '/api/slow', signedIn())
    expect(slow.status).toBe(504)
    expect(slow.headers['content-type']).toMatch(/^application\/problem\+json/)

    const { app, auth } = await createTestApp()
    const bff = auth.bff({ upstream: 'http://127.0.0.1:9', tokens: issuer.source })
    app.use(bff)
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const down = await bob.get('/api/notes')
    expect(down.status).toBe(502)
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9/)
    await bff.close()
  })

  it('every path-traversal attempt stays on the upstream host', async () => {
    const evilHits: string[] = []
    const evil = createServer((req, res) => {
      evilHits.push(req.url ?? '')
      res.end('evil')
    })
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
    const evilHost = `127.0.0.1:${(evil.address() as AddressInfo).port}`
    const attempts = [
      '/api/../auth/session', '/api/%2e%2e/auth/session', '/api/%2E%2E%2Fauth', '/api/..%2f..%2fetc', '/api/.%2e/x',
      `/api//${evilHost}/x`, `/api/http://${evilHost}/x`, `/api/\\\\${evilHost}\\x`, `/api/%5C%5C${evilHost}`,
      `/api/%2F%2F${evilHost}`, '/api/./x', '/api/a/../../b', `/api/@${evilHost}`, '/api/%252e%252e/x', '/api/%00',
    ]
    for (const path of attempts) {
      const res = await raw('GET', path, signedIn())
      expect([200, 400, 404], path).toContain(res.status)
    }
    expect(evilHits).toEqual([])
    for (const seen of upstream.requests) {
      expect(seen.url.startsWith('/')).toBe(true)
      expect(seen.url).not.toMatch(/^\/\/|\.\.|%2e|%2f|%5c|\\/i)
    }
    evil.close()
  })

  it('streams a 50 MB upload and a 50 MB download while the heap grows by less than 10 MB', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const size = 50 * 1024 * 1024
    const chunk = Buffer.alloc(256 * 1024, 1)
    function* upload() {
      for (let sent = 0; sent < size; sent += chunk.length) yield chunk
    }
    const baseline = process.memoryUsage()
    let peak = 0
    // Live memory, not garbage awaiting collection: collect, then measure, every 25 ms. A proxy that
    // buffered a body would hold tens of MB live at some sample.
    const sampler = setInterval(() => {
      gc()
      const now = process.memoryUsage()
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - (baseline.heapUsed + baseline.arrayBuffers))
    }, 25)
    try {
      const up = await raw('POST', '/api/upload', signedIn({ 'content-type': 'application/octet-stream', 'content-length': String(size) }), upload())
      expect(up.status).toBe(200)
      expect(JSON.parse(up.body.toString())).toMatchObject({ bodyBytes: size })

      upstream.behaveNext({ kind: 'stream', bytes: size })
      let received = 0
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${base}/api/download`, { headers: signedIn() }, (res) => {
          res.on('data', (data: Buffer) => {
            received += data.length
          })
          res.on('end', resolve)
        })
        req.on('error', reject)
        req.end()
      })
      expect(received).toBe(size)
    } finally {
      clearInterval(sampler)
    }
    expect(peak).toBeLessThan(10 * 1024 * 1024)
  }, 60_000)

  it('refuses a body over the limit with 413 before forwarding it', async () => {
    const res = await raw('POST', '/api/upload', signedIn({ 'content-type': 'application/octet-stream', 'content-length': String(65 * 1024 * 1024) }), Buffer.alloc(10))
    expect(res.status).toBe(413)
  })
})
