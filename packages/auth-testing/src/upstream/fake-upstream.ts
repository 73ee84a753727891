import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express from 'express'
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'

/** One request as the fake upstream saw it. */
export interface RecordedRequest {
  method: string
  /** Path and query, as received. */
  url: string
  headers: Readonly<Record<string, string | string[] | undefined>>
  /** The verified access-token claims, or `null` when the request had no valid Bearer token. */
  claims: JWTPayload | null
  /** Body size in bytes and its SHA-256 (hex); the bytes themselves only when ≤ 64 KiB. */
  bodyBytes: number
  bodySha256: string
  body: Buffer | undefined
}

/** How the next requests are answered. */
export type UpstreamBehaviour =
  | { kind: 'echo' }
  | { kind: 'status'; status: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'stream'; bytes: number }

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly requests: readonly RecordedRequest[]
  /** Answers every following request this way (default: echo). */
  behave(behaviour: UpstreamBehaviour): void
  /** Answers only the next `count` requests this way, then goes back to the standing behaviour. */
  behaveNext(behaviour: UpstreamBehaviour, count?: number): void
  /**
   * Answers 401 to every request whose verified claims match (a revoked or stale token). With
   * `holdUntil: n`, those 401s are held back until n such requests have arrived, so that n
   * concurrent requests all really meet the 401 (for single-flight refresh tests).
   */
  rejectTokens(predicate: (claims: JWTPayload) => boolean, options?: { holdUntil?: number }): void
  /** Forgets recorded requests and behaviours. */
  reset(): void
  stop(): Promise<void>
}

const keepBodyBytes = 64 * 1024

/**
 * An upstream API for BFF and Bearer tests: it trusts only `Authorization: Bearer` JWTs that
 * verify through `jwksUrl` (with `issuer`/`audience` when given), records every request for
 * assertions, and can be told to answer 401, 500, slowly, or with a large streamed body.
 * Every request body is streamed through a hash, never held whole, so 50 MB uploads are cheap.
 *
 * @example
 * ```ts
 * const upstream = await startFakeUpstream({ jwksUrl: 'http://127.0.0.1:3000/.well-known/jwks.json' })
 * upstream.behaveNext({ kind: 'status', status: 401 })
 * // … drive the BFF …
 * expect(upstream.requests.at(-1)?.headers.cookie).toBeUndefined()
 * await upstream.stop()
 * ```
 */
export async function startFakeUpstream(
  options: { jwksUrl?: string | URL; issuer?: string; audience?: string; requireToken?: boolean } = {},
): Promise<FakeUpstream> {
  const jwks = options.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 0 })
  const requests: RecordedRequest[] = []
  let standing: UpstreamBehaviour = { kind: 'echo' }
  let rejected: (claims: JWTPayload) => boolean = () => false
  let held: (() => void)[] = []
  let holdUntil = 0
  const queue: UpstreamBehaviour[] = []
  const requireToken = options.requireToken ?? jwks !== undefined

  const verify = async (authorization: string | undefined): Promise<JWTPayload | null> => {
    if (!jwks || authorization === undefined || !authorization.startsWith('Bearer ')) return null
    try {
      const { payload } = await jwtVerify(authorization.slice(7), jwks, {
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
        algorithms: ['EdDSA', 'ES256', 'RS256'],
      })
      return payload
    } catch {
      return null
    }
  }

  const app = express()
  app.use((req, res, next) => {
    const hash = createHash('sha256')
    const kept: Buffer[] = []
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      hash.update(chunk)
      if (bytes <= keepBodyBytes) kept.push(chunk)
    })
    req.on('end', () => {
      void verify(req.headers.authorization).then((claims) => {
        const record: RecordedRequest = {
          method: req.method,
          url: req.originalUrl,
          headers: { ...req.headers },
          claims,
          bodyBytes: bytes,
          bodySha256: hash.digest('hex'),
          body: bytes <= keepBodyBytes ? Buffer.concat(kept) : undefined,
        }
        requests.push(record)
        ;(res.locals as { record?: RecordedRequest }).record = record
        next()
      })
    })
  })
  app.use((req, res) => {
    const record = (res.locals as { record: RecordedRequest }).record
    const behaviour = queue.shift() ?? standing
    const refuse = () => res.status(401).set('www-authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_token' })
    if (requireToken && record.claims !== null && rejected(record.claims) && behaviour.kind !== 'status' && holdUntil > 0) {
      held.push(refuse)
      if (held.length >= holdUntil) {
        for (const answer of held) answer()
        held = []
      }
      return
    }
    if (requireToken && (record.claims === null || rejected(record.claims)) && behaviour.kind !== 'status') {
      res.status(401).set('www-authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_token' })
      return
    }
    switch (behaviour.kind) {
      case 'status':
        res.status(behaviour.status).json({ error: `status ${behaviour.status}` })
        return
      case 'slow': {
        const timer = setTimeout(() => res.json({ slow: true }), behaviour.delayMs)
        res.on('close', () => clearTimeout(timer))
        return
      }
      case 'stream': {
        res.setHeader('content-type', 'application/octet-stream')
        res.setHeader('content-length', String(behaviour.bytes))
        const chunk = Buffer.alloc(64 * 1024, 7)
        let left = behaviour.bytes
        const pump = () => {
          while (left > 0) {
            const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
            left -= piece.length
            if (!res.write(piece)) return void res.once('drain', pump)
          }
          res.end()
        }
        pump()
        return
      }
      default:
        res.json({
          method: req.method,
          url: req.originalUrl,
          claims: record.claims,
          bodyBytes: record.bodyBytes,
          bodySha256: record.bodySha256,
        })
    }
  })

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave(behaviour) {
      standing = behaviour
    },
    behaveNext(behaviour, count = 1) {
      for (let i = 0; i < count; i++) queue.push(behaviour)
    },
    rejectTokens(predicate, rejectOptions = {}) {
      rejected = predicate
      holdUntil = rejectOptions.holdUntil ?? 0
      held = []
    },
    reset() {
      rejected = () => false
      holdUntil = 0
      held = []
      requests.length = 0
      queue.length = 0
      standing = { kind: 'echo' }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
