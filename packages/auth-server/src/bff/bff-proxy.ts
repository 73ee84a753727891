import { pipeline } from 'node:stream/promises'
import { Transform, type Readable } from 'node:stream'
import type { Request, RequestHandler } from 'express'
import { Pool, errors as undiciErrors } from 'undici'
import { requestIdOf } from '../lib/request-id.js'
import { problem } from '../problem.js'
import { ProblemError, badRequest, unauthorized } from '../problem-error.js'
import type { RequestAuth } from '../request-auth.js'
import { BearerTokenCache, type BearerToken } from './bearer-token-cache.js'
import { clientResponseHeaders, upstreamRequestHeaders } from './bff-headers.js'
import { safeUpstreamPath } from './bff-path.js'

/** Gets a Bearer token for a signed-in request (`self`: minted by core; `provider`: the IdP's). */
export type BearerTokenSource = (auth: RequestAuth, req: Request) => Promise<BearerToken>

export interface BffProxyOptions {
  /** The upstream API's base URL, e.g. `http://127.0.0.1:4000` (a path is kept as a prefix). */
  upstream: string
  tokens: BearerTokenSource
  /** Time to the upstream's response headers, and between body chunks. @default 30000 */
  timeoutMs?: number
  /** Largest request body forwarded. @default 10485760 (10 MiB) */
  maxBodyBytes?: number
  /** Bodies up to this size are kept so a request can be replayed after a 401. @default 65536 */
  replayableBodyBytes?: number
  /** Keep-alive connections to the upstream. @default 64 */
  connections?: number
}

const upstreamDown = () => new ProblemError(problem(502, 'bad-gateway', 'Bad Gateway', 'The upstream service is unavailable.'))
const upstreamTimeout = () => new ProblemError(problem(504, 'gateway-timeout', 'Gateway Timeout', 'The upstream service did not answer in time.'))
const tooLarge = () => new ProblemError(problem(413, 'payload-too-large', 'Payload Too Large'))

/** The BFF proxy handler with its pooled keep-alive client. Mount it under the BFF's path. */
export function createBffProxy(options: BffProxyOptions): { handler: RequestHandler; close: () => Promise<void> } {
  const base = new URL(options.upstream)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('bff: upstream must be an http(s) URL')
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024
  const replayableBodyBytes = options.replayableBodyBytes ?? 64 * 1024
  const pool = new Pool(base.origin, { connections: options.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 })
  const cache = new BearerTokenCache()

  const send = (req: Request, path: string, token: string, body: Buffer | Readable | undefined, signal: AbortSignal) =>
    pool.request({
      origin: base.origin,
      path,
      method: req.method,
      headers: upstreamRequestHeaders(req.headers, {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': req.ip ?? req.socket.remoteAddress ?? '',
        'x-forwarded-proto': req.protocol,
        'x-forwarded-host': req.get('host') ?? '',
        'x-request-id': requestIdOf(req),
        ...(Buffer.isBuffer(body) ? { 'content-length': String(body.length) } : {}),
      }),
      body: body ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal,
    })

  const handler: RequestHandler = async (req, res) => {
    const auth = req.auth
    if (auth === undefined) throw new Error('req.auth is missing: mount auth.middleware() before the BFF')
    if (!auth) throw unauthorized()
    const path = safeUpstreamPath(req.url, base.pathname)
    if (path === null) throw badRequest('This path cannot be forwarded.')
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxBodyBytes) throw tooLarge()
    const hasBody = req.headers['transfer-encoding'] !== undefined || declared > 0

    // Small bodies are read first so that the request can be replayed once after a 401.
    const body: Buffer | Readable | undefined = !hasBody
      ? undefined
      : declared > 0 && declared <= replayableBodyBytes
        ? await readSmallBody(req, replayableBodyBytes)
        : req.pipe(byteLimit(maxBodyBytes))
    const replayable = body === undefined || Buffer.isBuffer(body)

    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort()
    })
    const mint = () => options.tokens(auth, req)
    try {
      let bearer = await cache.get(auth.session.id, Date.now(), mint)
      let answer = await send(req, path, bearer.token, body, abort.signal)
      // A 401 may mean our token went stale (key rotation, revocation upstream): get a new one and
      // retry once, but only when the request can be sent again unchanged.
      if (answer.statusCode === 401 && replayable) {
        await answer.body.dump()
        // Single-flight per session: concurrent 401s with this token share one new token.
        bearer = await cache.get(auth.session.id, Date.now(), mint, bearer.token)
        answer = await send(req, path, bearer.token, body, abort.signal)
      }
      res.status(answer.statusCode)
      for (const [name, value] of Object.entries(clientResponseHeaders(answer.headers))) res.setHeader(name, value)
      res.setHeader('x-request-id', requestIdOf(req))
      await pipeline(answer.body, res)
    } catch (error) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof ProblemError) throw error
      throw isTimeout(error) ? upstreamTimeout() : upstreamDown()
    }
  }

  return { handler, close: () => pool.close() }
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  )
}

async function readSmallBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Passes bytes through until `limit`, then fails the stream (the upstream request aborts). */
function byteLimit(limit: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length
      callback(seen > limit ? tooLarge() : null, chunk)
    },
  })
}
