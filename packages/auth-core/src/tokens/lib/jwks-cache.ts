// A cached JWKS fetched over HTTP, for verifiers that do not share the key store. Rules:
// - cache for the response's max-age, capped (30 s by default), minus up to 10 % jitter so a fleet
//   does not refetch in step. The cap is what makes a key removed after a compromise stop
//   verifying here within a known time, whatever max-age the JWKS (or a cache in front) announces;
// - an unknown kid triggers at most one refetch per cooldown, so forged kids cannot make every
//   request a fetch; a failed fetch also waits out the cooldown;
// - fail closed: past max-age, keys are no longer trusted; if the JWKS cannot be fetched, every
//   verification fails with ERR_JWKS_FETCH (no stale-if-error: a stale set may hold a removed key).
import { importJWK, type CryptoKey, type JWK } from 'jose'
import type { Clock } from '../../clock.js'
import { AuthError } from '../../errors.js'
import { isSigningAlgorithm, type SigningAlgorithm } from '../../keys/signing-key.js'
import type { AuthMetrics } from '../../metrics/auth-metrics.js'

export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<{
  ok: boolean
  status: number
  headers: { get(name: string): string | null }
  json(): Promise<unknown>
}>

interface CachedKey {
  alg: SigningAlgorithm
  key: Promise<CryptoKey>
}

export interface JwksCacheSettings {
  url: string
  fetch: FetchLike
  clock: Clock
  algorithms: readonly SigningAlgorithm[]
  cooldownMs: number
  timeoutMs: number
  /** The longest max-age honoured, in seconds. */
  maxAgeCapSeconds: number
  /** Counts each fetch by outcome. */
  metrics: Pick<AuthMetrics, 'jwksFetch'>
}

/** A shorter max-age (or `no-cache`) is raised to this, so a JWKS cannot make every request a fetch. */
const MIN_MAX_AGE_S = 30
const publicMembers = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const

export class JwksCache {
  readonly #settings: JwksCacheSettings
  #keys = new Map<string, CachedKey>()
  #expiresAt = Number.NEGATIVE_INFINITY
  #lastAttemptAt = Number.NEGATIVE_INFINITY
  #lastAttemptFailed = false
  #inflight: Promise<void> | undefined
  /** How many HTTP fetches were started (for tests and metrics). */
  fetches = 0

  constructor(settings: JwksCacheSettings) {
    this.#settings = settings
  }

  async resolve(kid: string, alg: SigningAlgorithm): Promise<CryptoKey> {
    const now = this.#settings.clock.now()
    const cooledDown = now - this.#lastAttemptAt >= this.#settings.cooldownMs
    let fetchError: unknown
    // A fetch already under way (the very first one, say) is awaited, not treated as a failure.
    if (this.#inflight) fetchError = await this.#inflight.then(() => undefined, (error: unknown) => error ?? new Error('fetch failed'))
    const expired = this.#settings.clock.now() >= this.#expiresAt
    if (fetchError === undefined && ((expired && (cooledDown || !this.#lastAttemptFailed)) || (!this.#keys.has(kid) && cooledDown))) {
      fetchError = await this.#refresh().then(() => undefined, (error: unknown) => error ?? new Error('fetch failed'))
    }
    const usable = this.#settings.clock.now() < this.#expiresAt
    const cached = usable ? this.#keys.get(kid) : undefined
    if (cached && cached.alg === alg) return cached.key
    if (fetchError !== undefined || (!usable && this.#lastAttemptFailed)) {
      throw new AuthError('ERR_JWKS_FETCH', `no cached key ${kid} and the JWKS cannot be fetched`, { cause: fetchError })
    }
    throw new AuthError('ERR_JWKS_NO_MATCHING_KEY', `the JWKS has no key ${kid} for ${alg}`)
  }

  #refresh(): Promise<void> {
    this.#inflight ??= this.#fetch()
      .then(
        () => this.#settings.metrics.jwksFetch('ok'),
        (error: unknown) => {
          this.#settings.metrics.jwksFetch('error')
          throw error
        },
      )
      .finally(() => (this.#inflight = undefined))
    return this.#inflight
  }

  async #fetch(): Promise<void> {
    const { url, fetch, clock, timeoutMs } = this.#settings
    this.#lastAttemptAt = clock.now()
    this.#lastAttemptFailed = true
    this.fetches++
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`JWKS answered ${response.status}`)
    const body = (await response.json()) as { keys?: unknown }
    if (!Array.isArray(body.keys)) throw new Error('JWKS has no "keys" list')
    const keys = new Map<string, CachedKey>()
    for (const entry of body.keys as unknown[]) {
      const parsed = this.#parse(entry)
      if (parsed && !keys.has(parsed.kid)) keys.set(parsed.kid, { alg: parsed.alg, key: importJWK(parsed.jwk, parsed.alg) as Promise<CryptoKey> })
    }
    for (const cached of keys.values()) cached.key.catch(() => {}) // a bad key fails its own verification, not the set
    this.#keys = keys
    this.#lastAttemptFailed = false
    const maxAge = honouredMaxAge(response.headers.get('cache-control'), this.#settings.maxAgeCapSeconds)
    const jitter = 1 - crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32 / 10
    this.#expiresAt = clock.now() + maxAge * 1000 * jitter
  }

  /** Public signing keys with a kid and an allowed alg; anything else in the set is ignored. */
  #parse(entry: unknown): { kid: string; alg: SigningAlgorithm; jwk: JWK } | undefined {
    if (typeof entry !== 'object' || entry === null) return undefined
    const jwk = entry as Record<string, unknown>
    if (typeof jwk.kid !== 'string' || !isSigningAlgorithm(jwk.alg) || !this.#settings.algorithms.includes(jwk.alg)) return undefined
    if (jwk.use !== undefined && jwk.use !== 'sig') return undefined
    const publicJwk: JWK = {}
    for (const member of publicMembers) if (typeof jwk[member] === 'string') publicJwk[member] = jwk[member]
    return { kid: jwk.kid, alg: jwk.alg, jwk: publicJwk }
  }
}

function honouredMaxAge(cacheControl: string | null, cap: number): number {
  const match = cacheControl ? /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl) : null
  const seconds = match ? Number(match[1]) : cap
  return Math.min(cap, Math.max(MIN_MAX_AGE_S, seconds))
}
