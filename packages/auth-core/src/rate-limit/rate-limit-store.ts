/** A counter and when its window ends (`null`: never), in the injected clock's milliseconds. */
export interface RateLimitCounter {
  value: number
  expiresAt: number | null
}

/**
 * Where rate-limit counters live. Each operation is atomic on one key; time is always passed in
 * (`now`, from the limiter's clock), never read by the store, so a test clock drives memory and
 * Redis alike. Memory: {@link MemoryRateLimitStore}; Redis: `createRedisRateLimitStore()` from
 * `@acme/auth-core/redis`.
 */
export interface RateLimitStore {
  /**
   * Adds `points` to `key`. An absent or expired counter starts at `points` with a window of
   * `windowMs` from `now` (0: no expiry). With `replace`, the counter is set to `points` with a new
   * window whatever it held (a block).
   */
  add(key: string, points: number, windowMs: number, now: number, replace: boolean): Promise<RateLimitCounter>
  /** The live counter at `now`, or `null`. */
  get(key: string, now: number): Promise<RateLimitCounter | null>
  /** Removes the counter; whether it existed. */
  delete(key: string): Promise<boolean>
}

const isLive = (counter: RateLimitCounter, now: number) => counter.expiresAt === null || now < counter.expiresAt

/**
 * The embedded {@link RateLimitStore}: one process. Expired counters are dropped when touched and
 * swept in bulk at most once a minute (by the injected clock), so memory stays bounded.
 *
 * @example
 * ```ts
 * import { createLoginLimiter, MemoryRateLimitStore } from '@acme/auth-core'
 *
 * const limiter = createLoginLimiter({ store: new MemoryRateLimitStore() }) // same as store: 'memory'
 * ```
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counters = new Map<string, RateLimitCounter>()
  #lastSweep = Number.NEGATIVE_INFINITY

  /** How many counters are held (expired ones not yet swept included). */
  get size(): number {
    return this.#counters.size
  }

  add(key: string, points: number, windowMs: number, now: number, replace: boolean): Promise<RateLimitCounter> {
    this.#sweep(now)
    const current = this.#counters.get(key)
    const next: RateLimitCounter =
      !replace && current && isLive(current, now)
        ? { value: current.value + points, expiresAt: current.expiresAt }
        : { value: points, expiresAt: windowMs > 0 ? now + windowMs : null }
    this.#counters.set(key, next)
    return Promise.resolve({ ...next })
  }

  get(key: string, now: number): Promise<RateLimitCounter | null> {
    const current = this.#counters.get(key)
    if (!current) return Promise.resolve(null)
    if (!isLive(current, now)) {
      this.#counters.delete(key)
      return Promise.resolve(null)
    }
    return Promise.resolve({ ...current })
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.#counters.delete(key))
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return
    this.#lastSweep = now
    for (const [key, counter] of this.#counters) if (!isLive(counter, now)) this.#counters.delete(key)
  }
}
