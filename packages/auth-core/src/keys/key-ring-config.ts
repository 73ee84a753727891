import type { AuditSink } from '../audit/audit-event.js'
import type { Clock } from '../clock.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import { resolveSecrets } from './secret-envelope.js'
import type { KeyStore } from './key-store.js'
import { isSigningAlgorithm, SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing-key.js'

const day = 86_400
/** The longest access-token lifetime core allows (15 min) plus the default clock skew (30 s). */
const MAX_ACCESS_LIFETIME_SECONDS = 900
/** The longest `refreshSeconds`: half of the 60 s bound on a compromised key's afterlife. */
export const MAX_REFRESH_SECONDS = 30
const CLOCK_SKEW_SECONDS = 30
/** 2 × max access-token lifetime + clock skew: a retired key outlives every token it signed. */
export const MIN_RETAIN_SECONDS = 2 * MAX_ACCESS_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS

/** Options of {@link createKeyRing}. */
export interface KeyRingOptions {
  /** Where the ring lives, shared by every instance: `MemoryKeyStore`, `RedisKeyStore`, or your own. */
  store: KeyStore
  /**
   * The key-encryption secret(s) for private keys at rest (at least 32 characters each; e.g.
   * `openssl rand -base64 32`). With a list, the first seals and every one opens, so the secret
   * can rotate. Required.
   */
  secret: string | readonly string[]
  /** Algorithm of new keys. Existing keys keep theirs. @default 'EdDSA' */
  alg?: SigningAlgorithm
  /** @default systemClock */
  clock?: Clock
  /** @default a sink that drops events */
  audit?: AuditSink
  rotation?: {
    /** A scheduled rotation (see `start()` / `maintain()`) happens this long after the active key activated. 0 = manual only. @default 2592000 (30 days) */
    intervalSeconds?: number
    /** `Cache-Control: max-age` of the JWKS, and what remote verifiers may cache. @default 300 */
    jwksMaxAgeSeconds?: number
    /** A new key is published this long before it signs; at least `jwksMaxAgeSeconds`. @default 2 × jwksMaxAgeSeconds */
    promoteDelaySeconds?: number
    /** A retired key stays published this long; at least 1830 (2 × 15 min + 30 s). @default 1830 */
    retainSeconds?: number
    /**
     * How long an instance trusts its copy of the ring before reading the store again (one read of
     * the ring record). It bounds how long a key removed by `rotate({ compromised: true })` on another
     * instance keeps verifying here; at most 30, so that with a remote verifier's capped cache
     * (≤ 30 s) a removed key stops verifying everywhere within 60 s. @default 15
     */
    refreshSeconds?: number
  }
}

export interface KeyRingConfig {
  store: KeyStore
  secrets: readonly string[]
  alg: SigningAlgorithm
  clock: Clock | undefined
  audit: AuditSink | undefined
  intervalMs: number
  jwksMaxAgeSeconds: number
  promoteDelayMs: number
  retainMs: number
  refreshMs: number
}

export function resolveKeyRingConfig(options: KeyRingOptions): Readonly<KeyRingConfig> {
  const input = requireObject(options, 'options')
  const store = requireMethods<KeyStore>(input.store, 'options.store', ['load', 'compareAndSet', 'acquireLock', 'releaseLock'])
  const secrets = resolveSecrets(input.secret, 'options.secret')
  const alg = input.alg ?? 'EdDSA'
  if (!isSigningAlgorithm(alg)) throw new TypeError(`options.alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`)
  const clock = input.clock === undefined ? undefined : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const audit = input.audit === undefined ? undefined : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const rotation = input.rotation === undefined ? {} : requireObject(input.rotation, 'options.rotation')
  const intervalSeconds = optionalNumber(rotation.intervalSeconds, 'options.rotation.intervalSeconds', 30 * day, { min: 0, max: 400 * day })
  const jwksMaxAgeSeconds = optionalNumber(rotation.jwksMaxAgeSeconds, 'options.rotation.jwksMaxAgeSeconds', 300, { min: 0, max: day, integer: true })
  const promoteDelaySeconds = optionalNumber(rotation.promoteDelaySeconds, 'options.rotation.promoteDelaySeconds', 2 * jwksMaxAgeSeconds, { min: jwksMaxAgeSeconds, max: 7 * day })
  const retainSeconds = optionalNumber(rotation.retainSeconds, 'options.rotation.retainSeconds', MIN_RETAIN_SECONDS, { min: MIN_RETAIN_SECONDS, max: 90 * day })
  const refreshSeconds = optionalNumber(rotation.refreshSeconds, 'options.rotation.refreshSeconds', 15, { min: 0, max: MAX_REFRESH_SECONDS })
  if (intervalSeconds > 0 && intervalSeconds <= promoteDelaySeconds) {
    throw new TypeError('options.rotation.intervalSeconds must be longer than options.rotation.promoteDelaySeconds (or 0)')
  }
  return Object.freeze({
    store,
    secrets: Object.freeze([...(secrets as string[])]),
    alg,
    clock,
    audit,
    intervalMs: intervalSeconds * 1000,
    jwksMaxAgeSeconds,
    promoteDelayMs: promoteDelaySeconds * 1000,
    retainMs: retainSeconds * 1000,
    refreshMs: refreshSeconds * 1000,
  })
}
