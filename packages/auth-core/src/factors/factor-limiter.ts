import type { Clock } from '../clock.js'
import { sha256 } from '../lib/crypto.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { ClockedRateLimiter } from '../rate-limit/clocked-rate-limiter.js'
import { resolveLimiterBackend } from '../rate-limit/limiter-backend.js'
import type { RateLimitStore } from '../rate-limit/rate-limit-store.js'

/** Options of {@link createFactorLimiter}. */
export interface FactorLimiterOptions {
  /** `'memory'` (one process) or a shared store such as `createRedisRateLimitStore()`. @default 'memory' */
  store?: 'memory' | RateLimitStore
  /** @default systemClock */
  clock?: Clock
  /** Wrong codes per user in a window before the user is refused. @default 5 */
  maxAttempts?: number
  /** The window, from the first wrong code; a user who used it up waits for its end. @default 900 */
  windowSeconds?: number
}

/** The limiter's answer; `retryAfterSeconds` is for `Retry-After`. */
export type FactorLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Wrong second-factor codes, counted per user (whatever the IP: a code has only 10^6 values). */
export interface FactorLimiter {
  /** Call BEFORE checking a code: refused while the user is blocked, otherwise counts the attempt. */
  attempt(userId: string): Promise<FactorLimitDecision>
  /** After a right code: the attempt counted up front is refunded. */
  recordSuccess(userId: string): Promise<void>
}

/**
 * Per-user limits on second-factor codes, on core's rate-limit machinery (rate-limiter-flexible
 * over a {@link RateLimitStore}, time from the injected clock). Attempts are counted up front, so
 * parallel guesses cannot all slip past the check; a right code refunds its attempt.
 *
 * @default { store: 'memory', maxAttempts: 5, windowSeconds: 900 }
 * @example
 * ```ts
 * import { createFactorLimiter } from '@acme/auth-core'
 *
 * const limiter = createFactorLimiter({ store: 'memory', maxAttempts: 5 })
 * ```
 */
export function createFactorLimiter(options: FactorLimiterOptions = {}): FactorLimiter {
  const input = requireObject(options, 'options')
  const { store, clock } = resolveLimiterBackend({ ...input, store: input.store ?? 'memory' })
  const int = { min: 1, max: 1_000_000, integer: true }
  const maxAttempts = optionalNumber(input.maxAttempts, 'options.maxAttempts', 5, int)
  const windowSeconds = optionalNumber(input.windowSeconds, 'options.windowSeconds', 900, int)
  const counter = new ClockedRateLimiter({ keyPrefix: 'mfa:user', points: maxAttempts, duration: windowSeconds }, store, clock)
  // User ids are hashed into keys: the rate-limit store holds nothing that names anyone.
  const keyOf = async (userId: string) => (await sha256(`acme-auth/mfa-limit:${userId}`)).slice(0, 22)
  const refused = (ms: number): FactorLimitDecision => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) })

  return Object.freeze({
    async attempt(userId: string) {
      const key = await keyOf(userId)
      const current = await counter.get(key)
      if (current && current.consumedPoints >= maxAttempts) return refused(current.msBeforeNext)
      const counted = await counter.penalty(key)
      if (counted.consumedPoints > maxAttempts) return refused(counted.msBeforeNext)
      return { allowed: true as const }
    },
    async recordSuccess(userId: string) {
      const key = await keyOf(userId)
      const current = await counter.get(key)
      if (current && current.consumedPoints > 0 && current.consumedPoints <= maxAttempts) await counter.reward(key)
    },
  })
}
