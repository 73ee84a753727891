import { systemClock, type Clock } from '../clock.js'
import type { SigningAlgorithm } from '../keys/signing-key.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { AccessTokenVerifier } from './access-token-verifier.js'
import { JwksCache, type FetchLike } from './lib/jwks-cache.js'
import { verifyAccessJwt } from './lib/verify-jwt.js'
import { requireNonEmptyString, resolveVerifyPolicy } from './lib/verify-policy.js'

export type { FetchLike } from './lib/jwks-cache.js'

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
   * `Cache-Control: max-age` (30 s to 1 day; 300 without one) minus up to 10 % jitter.
   * @default { fetch: globalThis.fetch, cooldownSeconds: 30, timeoutMs: 5000 }
   */
  http?: { fetch?: FetchLike; cooldownSeconds?: number; timeoutMs?: number }
  /** @default systemClock */
  clock?: Clock
}

/** A verifier over a remote JWKS; `fetches` counts HTTP fetches (metrics, tests). */
export interface RemoteJwksVerifier extends AccessTokenVerifier {
  readonly fetches: number
}

/**
 * Creates a verifier for upstream services: it reads the JWKS over HTTP, caches it, refetches at
 * most once per cooldown on an unknown kid, and fails closed (`ERR_JWKS_FETCH`) when no cached key
 * fits and the JWKS cannot be fetched.
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
  if (typeof cooldown !== 'number' || !(cooldown >= 1 && cooldown <= 3600)) throw new TypeError('options.http.cooldownSeconds must be between 1 and 3600')
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 1 && timeoutMs <= 60_000)) throw new TypeError('options.http.timeoutMs must be between 1 and 60000')

  const cache = new JwksCache({ url, fetch: fetchImpl, clock, algorithms: policy.algorithms, cooldownMs: cooldown * 1000, timeoutMs })
  return Object.freeze({
    verify: (token: unknown) => verifyAccessJwt(token, policy, (kid, alg) => cache.resolve(kid, alg)),
    get fetches() {
      return cache.fetches
    },
  })
}
