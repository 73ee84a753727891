// The ambient types of the two deep imports below travel with this file into every program that compiles it.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient module declarations cannot be imported
/// <reference path="./rate-limiter-flexible.d.ts" />
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js'
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js'
import type { RateLimiterRes as RateLimiterResult } from 'rate-limiter-flexible'
import type { Clock } from '../clock.js'
import type { RateLimitCounter, RateLimitStore } from './rate-limit-store.js'

/**
 * rate-limiter-flexible's store-backed limiter (points, duration, block, penalty, reward, and an
 * optional insurance limiter) over a {@link RateLimitStore} that takes its time from our Clock.
 * RateLimiterMemory and RateLimiterRedis read Date.now and Redis's own TTLs, which no test clock
 * can move; the store abstract's four hooks are the library's extension point for custom stores.
 */
export class ClockedRateLimiter extends RateLimiterStoreAbstract {
  readonly #store: RateLimitStore
  readonly #clock: Clock

  constructor(options: { keyPrefix: string; points: number; duration: number }, store: RateLimitStore, clock: Clock) {
    super({ ...options, storeClient: store })
    this.#store = store
    this.#clock = clock
  }

  _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<RateLimitCounter> {
    return this.#store.add(rlKey, points, msDuration, this.#clock.now(), forceExpire)
  }

  _get(rlKey: string): Promise<RateLimitCounter | null> {
    return this.#store.get(rlKey, this.#clock.now())
  }

  _delete(rlKey: string): Promise<boolean> {
    return this.#store.delete(rlKey)
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, counter: RateLimitCounter): RateLimiterResult {
    const msBeforeNext = counter.expiresAt === null ? -1 : Math.max(0, counter.expiresAt - this.#clock.now())
    return new RateLimiterRes(
      Math.max(this.points - counter.value, 0),
      msBeforeNext,
      counter.value,
      counter.value === changedPoints,
    )
  }
}
