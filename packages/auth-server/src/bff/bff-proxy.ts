import { Transform, Writable, type Readable } from 'node:stream'
import type { Request, Response } from 'express'
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
export function createBffProxy(options: BffProxyOptions): {
  /** Forwards `req`; `afterMount` is the request's path and query after the BFF's mount point. */
  proxy: (req: Request, res: Response, afterMount: string) => Promise<void>
  close: () => Promise<void>
} {
  const base = new URL(options.upstream)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('bff: upstream must be an http(s) URL')
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024
  const replayableBodyBytes = options.replayableBodyBytes ?? 64 * 1024
  const pool = new Pool(base.origin, { connections: options.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 })
  const cache = new BearerTokenCache()

  /**
   * Sends one attempt and streams the answer straight into `res` (undici's `stream()`: no
   * intermediate Readable). With `retryOn401`, a 401 is drained instead and `'retry'` returned.
   */
  const forward = async (req: Request, res: Response, path: string, token: string, body: Buffer | Readable | undefined, retryOn401: boolean) => {
    const result: { outcome: 'done' | 'retry' } = { outcome: 'done' }
    await pool.stream(
      {
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
      },
      ({ statusCode, headers }) => {
        if (statusCode === 401 && retryOn401) {
          result.outcome = 'retry'
          return discard()
        }
        res.status(statusCode)
        for (const [name, value] of Object.entries(clientResponseHeaders(headers))) res.setHeader(name, value)
        res.setHeader('x-request-id', requestIdOf(req))
        return res
      },
    )
    return result.outcome
  }

  const proxy = async (req: Request, res: Response, afterMount: string) => {
    const auth = req.auth
    if (auth === undefined) throw new Error('req.auth is missing: mount auth.middleware() before the BFF')
    if (!auth) throw unauthorized()
    const path = safeUpstreamPath(afterMount, base.pathname)
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

    const mint = () => options.tokens(auth, req)
    try {
      const bearer = await cache.get(auth.session.id, Date.now(), mint)
      // A 401 may mean our token went stale (key rotation, revocation upstream): get a new one and
      // retry once, but only when the request can be sent again unchanged.
      if ((await forward(req, res, path, bearer.token, body, replayable)) === 'retry') {
        // Single-flight per session: concurrent 401s with this token share one new token.
        const fresh = await cache.get(auth.session.id, Date.now(), mint, bearer.token)
        await forward(req, res, path, fresh.token, body, false)
      }
    } catch (error) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof ProblemError) throw error
      throw isTimeout(error) ? upstreamTimeout() : upstreamDown()
    }
  }

  return { proxy, close: () => pool.close() }
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  )
}

/** A sink for a refused answer's body. */
function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback()
    },
  })
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
