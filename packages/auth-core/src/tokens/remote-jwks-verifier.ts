import { systemClock, type Clock } from '../clock.js'
import type { SigningAlgorithm } from '../keys/signing-key.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { AccessTokenVerifier } from './access-token-verifier.js'
import { JwksCache, type FetchLike } from './lib/jwks-cache.js'
import { verifyAccessJwt } from './lib/verify-jwt.js'
import { requireNonEmptyString, resolveVerifyPolicy } from './lib/verify-policy.js'
import { createAuthMetrics } from '../metrics/auth-metrics.js'

export type { FetchLike } from './lib/jwks-cache.js'

/**
 * The longest a remote verifier caches the JWKS, in seconds. With the key ring's `refreshSeconds`
 * (at most 30), a key removed by `rotate({ compromised: true })` stops verifying everywhere within
 * 60 s.
 */
const MAX_CACHE_SECONDS = 30

/** Options of {@link createRemoteJwksVerifier}. */
export interface RemoteJwksVerifierOptions {
  /** Where the JWKS is published, e.g. `https://app.example.com/.well-known/jwks.json`. */
  jwksUrl: string | URL
  /** The only accepted `iss`. */
  issuer: string
  /** Accepted `aud` values: the token must name at least one. */
  audience: string | readonly string[]
  /** Allow-list of algorithms; `none` and HS* are never accepted. @default ['EdDSA', 'ES256', 'RS256'] */
  algorithms?: readonly SigningAlgorithm[]
  /** Allowed clock skew for `exp` and `nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number
  /**
   * How to fetch the JWKS, and the cache's limits. The cache lives for the response's
   * `Cache-Control: max-age`, capped at `maxCacheSeconds` (1 to 30), minus up to 10 % jitter. The
   * cap bounds how long a key removed after a compromise keeps verifying here: past it, cached keys
   * are not trusted, and a JWKS that cannot be fetched fails every verification (`ERR_JWKS_FETCH`).
   * @default { fetch: globalThis.fetch, cooldownSeconds: 30, timeoutMs: 5000, maxCacheSeconds: 30 }
   */
  http?: { fetch?: FetchLike; cooldownSeconds?: number; timeoutMs?: number; maxCacheSeconds?: number }
  /** @default systemClock */
  clock?: Clock
}

/** A verifier over a remote JWKS; `fetches` counts HTTP fetches (metrics, tests). */
export interface RemoteJwksVerifier extends AccessTokenVerifier {
  readonly fetches: number
}

/**
 * Creates a verifier for upstream services: it reads the JWKS over HTTP, caches it (30 s at most by
 * default), refetches at most once per cooldown on an unknown kid, and fails closed
 * (`ERR_JWKS_FETCH`) when the cache has expired, or holds no fitting key, and the JWKS cannot be
 * fetched.
 *
 * @example
 * ```ts
 * import { createRemoteJwksVerifier } from '@acme/auth-core'
 *
 * const verifier = createRemoteJwksVerifier({
 *   jwksUrl: 'https://app.example.com/.well-known/jwks.json',
 *   issuer: 'https://app.example.com',
 *   audience: 'https://api.example.com',
 * })
 * const claims = await verifier.verify(req.headers.authorization?.slice('Bearer '.length))
 * ```
 */
export function createRemoteJwksVerifier(options: RemoteJwksVerifierOptions): RemoteJwksVerifier {
  const input = requireObject(options, 'options')
  const url = input.jwksUrl instanceof URL ? input.jwksUrl.href : requireNonEmptyString(input.jwksUrl, 'options.jwksUrl')
  if (!/^https?:\/\//.test(url)) throw new TypeError('options.jwksUrl must be an http(s) URL')
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const policy = resolveVerifyPolicy(input, clock)
  const http = input.http === undefined ? {} : requireObject(input.http, 'options.http')
  if (http.fetch !== undefined && typeof http.fetch !== 'function') throw new TypeError('options.http.fetch must be a function')
  const fetchImpl = (http.fetch as FetchLike | undefined) ?? (globalThis.fetch)
  const cooldown = http.cooldownSeconds ?? 30
  const timeoutMs = http.timeoutMs ?? 5000
  const maxCacheSeconds = http.maxCacheSeconds ?? MAX_CACHE_SECONDS
  if (typeof cooldown !== 'number' || !(cooldown >= 1 && cooldown <= 3600)) throw new TypeError('options.http.cooldownSeconds must be between 1 and 3600')
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 1 && timeoutMs <= 60_000)) throw new TypeError('options.http.timeoutMs must be between 1 and 60000')
  if (typeof maxCacheSeconds !== 'number' || !(maxCacheSeconds >= 1 && maxCacheSeconds <= MAX_CACHE_SECONDS)) {
    throw new TypeError(`options.http.maxCacheSeconds must be between 1 and ${MAX_CACHE_SECONDS}`)
  }

  const cache = new JwksCache({
    url, fetch: fetchImpl, clock, algorithms: policy.algorithms, cooldownMs: cooldown * 1000, timeoutMs, maxAgeCapSeconds: maxCacheSeconds,
    metrics: createAuthMetrics(),
  })
  return Object.freeze({
    verify: (token: unknown) => verifyAccessJwt(token, policy, (kid, alg) => cache.resolve(kid, alg)),
    get fetches() {
      return cache.fetches
    },
  })
}
