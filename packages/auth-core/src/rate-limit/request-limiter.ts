import type { Clock } from '../clock.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { ClockedRateLimiter } from './clocked-rate-limiter.js'
import { resolveLimiterBackend } from './limiter-backend.js'
import type { RateLimitStore } from './rate-limit-store.js'

/** The answer of {@link RequestLimiter.consume}: when refused, `retryAfterSeconds` is for `Retry-After`. */
export type RequestLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Options of {@link createRequestLimiter}. */
export interface RequestLimiterOptions {
  /** `'memory'` (one process) or a shared store such as `createRedisRateLimitStore()`. */
  store: 'memory' | RateLimitStore
  /** Namespaces the counters in a shared store, e.g. `'route:token'`. */
  keyPrefix: string
  /** Requests allowed per key in a window. */
  maxRequests: number
  /** @default 60 */
  windowSeconds?: number
  /** How long a key stays refused once past the limit. @default windowSeconds */
  blockSeconds?: number
  /** @default systemClock */
  clock?: Clock
}

/** Counts requests per key (an IP, usually) and refuses them past a limit. */
export interface RequestLimiter {
  /** Counts one request for `key`; refused while the key is over its limit. */
  consume(key: string): Promise<RequestLimitDecision>
}

/**
 * A fixed-window request limit per key on rate-limiter-flexible, with time from the injected
 * clock: `maxRequests` per `windowSeconds`, then refused for `blockSeconds`. For endpoints whose
 * every call costs (token refresh, OAuth sign-in starts), where failures cannot be told apart
 * from successes up front.
 *
 * @example
 * ```ts
 * import { createRequestLimiter } from '@acme/auth-core'
 *
 * const limiter = createRequestLimiter({ store: 'memory', keyPrefix: 'route:token', maxRequests: 60, windowSeconds: 60 })
 * const decision = await limiter.consume(req.ip ?? 'unknown')
 * if (!decision.allowed) res.set('Retry-After', String(decision.retryAfterSeconds)).status(429)
 * ```
 */
export function createRequestLimiter(options: RequestLimiterOptions): RequestLimiter {
  const input = requireObject(options, 'options')
  const { store, clock } = resolveLimiterBackend(input)
  if (typeof input.keyPrefix !== 'string' || input.keyPrefix === '') throw new TypeError('options.keyPrefix must be a non-empty string')
  const int = { min: 1, max: 100_000_000, integer: true }
  if (input.maxRequests === undefined) throw new TypeError('options.maxRequests is required')
  const maxRequests = optionalNumber(input.maxRequests, 'options.maxRequests', 1, int)
  const windowSeconds = optionalNumber(input.windowSeconds, 'options.windowSeconds', 60, int)
  const blockSeconds = optionalNumber(input.blockSeconds, 'options.blockSeconds', windowSeconds, int)
  const counter = new ClockedRateLimiter({ keyPrefix: input.keyPrefix, points: maxRequests, duration: windowSeconds }, store, clock)
  const refused = (ms: number): RequestLimitDecision => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) })

  return Object.freeze({
    async consume(key: string): Promise<RequestLimitDecision> {
      if (typeof key !== 'string') throw new TypeError('key must be a string')
      const current = await counter.get(key)
      if (current && current.consumedPoints > maxRequests) return refused(current.msBeforeNext)
      const counted = await counter.penalty(key)
      // Reaching the limit blocks the NEXT request; going past it means parallel requests raced
      // past the check above (the block is already in place).
      if (counted.consumedPoints === maxRequests) await counter.block(key, blockSeconds)
      if (counted.consumedPoints > maxRequests) return refused(counted.msBeforeNext)
      return { allowed: true }
    },
  })
}
