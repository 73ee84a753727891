import { createAuthMetrics, type UpstreamOutcome } from '@acme/auth-core'
import { Transform, type Readable, type Writable } from 'node:stream'
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici'
import type { Exchange } from '../http/exchange.js'
import { requestIdOf } from '../http/request-id.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, unauthorized } from '../errors/problem-error.js'
import type { RequestAuth } from '../core/request-auth.js'
import { BearerTokenCache, type BearerToken } from './bearer-token-cache.js'
import { clientResponseHeaders, forwardedOriginFor, forwardedOrigins, upstreamRequestHeaders } from './bff-headers.js'
import { safeUpstreamPath } from './bff-path.js'
import { sendUpstream } from './send-upstream.js'

/** Gets a Bearer token for a signed-in request (`self`: minted by core; `provider`: the IdP's). */
export type BearerTokenSource = (auth: RequestAuth, request: Exchange) => Promise<BearerToken>

/**
 * Where the upstream's answer goes once its status and headers are known: the adapter sets them
 * and returns the stream the body is written into (Express: `res` itself; Fetch: a pass-through
 * that becomes the `Response` body).
 */
export type ResponseSink = (status: number, headers: Record<string, string | string[]>) => Writable

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

const metrics = createAuthMetrics()

/** `2xx` … `5xx` for a status code. */
const statusClassOf = (status: number): UpstreamOutcome =>
  status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx'

const upstreamDown = () => new ProblemError(problem(502, 'bad-gateway', 'Bad Gateway', 'The upstream service is unavailable.'))
const upstreamTimeout = () => new ProblemError(problem(504, 'gateway-timeout', 'Gateway Timeout', 'The upstream service did not answer in time.'))
const tooLarge = () => new ProblemError(problem(413, 'payload-too-large', 'Payload Too Large'))

/**
 * The BFF proxy handler with its pooled keep-alive client. Mount it under the BFF's path.
 * `appOrigins` are the app's configured origins: `X-Forwarded-Host/Proto` come from them.
 */
export function createBffProxy(options: BffProxyOptions, appOrigins: Iterable<string>): {
  /**
   * Forwards the request; `afterMount` is its path and query after the BFF's mount point. Throws a
   * `ProblemError` (401, 400, 413, 502, 504) while nothing was sent; once the answer has started,
   * a failure destroys the sink instead.
   */
  proxy: (ex: Exchange, afterMount: string, sink: ResponseSink) => Promise<void>
  close: () => Promise<void>
} {
  const base = new URL(options.upstream)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('bff: upstream must be an http(s) URL')
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024
  const replayableBodyBytes = options.replayableBodyBytes ?? 64 * 1024
  const pool = new Pool(base.origin, { connections: options.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 })
  const cache = new BearerTokenCache()
  const origins = forwardedOrigins(appOrigins)

  /**
   * Sends one attempt and streams the answer straight into the sink. With `retryOn401`, a 401 is
   * read and dropped instead and `'retry'` returned.
   */
  const forward = async (ex: Exchange, opened: { sink?: Writable }, sink: ResponseSink, path: string, token: string, body: Buffer | Readable | undefined, retryOn401: boolean) => {
    const result: { outcome: 'done' | 'retry' } = { outcome: 'done' }
    const forwarded = forwardedOriginFor(origins, ex.header('host'))
    const requestId = requestIdOf(ex)
    const ours: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'x-forwarded-for': ex.ip ?? '',
      'x-forwarded-proto': forwarded.proto,
      'x-forwarded-host': forwarded.host,
      'x-request-id': requestId,
    }
    if (Buffer.isBuffer(body)) ours['content-length'] = String(body.length)
    const started = performance.now()
    let answered = false
    const request: Dispatcher.DispatchOptions = {
      origin: base.origin,
      path,
      method: ex.method,
      headers: upstreamRequestHeaders(ex.headers(), ours),
      body: body ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    }
    await sendUpstream(pool, request, (statusCode, headers) => {
      answered = true
      metrics.bffUpstream(statusClassOf(statusCode), performance.now() - started)
      if (statusCode === 401 && retryOn401) {
        result.outcome = 'retry'
        return null
      }
      const answer = clientResponseHeaders(headers)
      answer['x-request-id'] = requestId
      answer['cache-control'] ??= 'no-store'
      return (opened.sink = sink(statusCode, answer))
    }).catch((error: unknown) => {
      if (!answered) metrics.bffUpstream(isTimeout(error) ? 'timeout' : 'error', performance.now() - started)
      throw error
    })
    return result.outcome
  }

  const proxy = async (ex: Exchange, afterMount: string, sink: ResponseSink) => {
    const auth = ex.auth
    if (auth === undefined) throw new Error('the request is not authenticated yet: the BFF authenticates before it forwards')
    if (!auth) throw unauthorized()
    const path = safeUpstreamPath(afterMount, base.pathname)
    if (path === null) throw badRequest('This path cannot be forwarded.')
    const declared = Number(ex.header('content-length') ?? 0)
    if (declared > maxBodyBytes) throw tooLarge()
    const stream = ex.hasBody() ? ex.bodyStream() : undefined

    // Small bodies are read first so that the request can be replayed once after a 401.
    const body: Buffer | Readable | undefined = stream === undefined
      ? undefined
      : declared > 0 && declared <= replayableBodyBytes
        ? await readSmallBody(stream, replayableBodyBytes)
        : stream.pipe(byteLimit(maxBodyBytes))
    const replayable = body === undefined || Buffer.isBuffer(body)

    const mint = () => options.tokens(auth, ex)
    const opened: { sink?: Writable } = {}
    try {
      const now = Date.now()
      const bearer = cache.peek(auth.session.id, now) ?? (await cache.get(auth.session.id, now, mint))
      // A 401 may mean our token went stale (key rotation, revocation upstream): get a new one and
      // retry once, but only when the request can be sent again unchanged.
      if ((await forward(ex, opened, sink, path, bearer.token, body, replayable)) === 'retry') {
        // Single-flight per session: concurrent 401s with this token share one new token.
        const fresh = await cache.get(auth.session.id, Date.now(), mint, bearer.token)
        await forward(ex, opened, sink, path, fresh.token, body, false)
      }
    } catch (error) {
      if (opened.sink) {
        opened.sink.destroy()
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

async function readSmallBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * Passes bytes through until `limit`, then fails the stream (the upstream request aborts). The
 * limit can trip while the Bearer token is still being fetched, before anything listens to the
 * stream: the error is then kept on the stream (`errored`) for the attempt to report, not thrown
 * as an uncaught exception.
 */
function byteLimit(limit: number): Transform {
  let seen = 0
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length
      callback(seen > limit ? tooLarge() : null, chunk)
    },
  })
  return limited.on('error', () => {})
}
