import { MemoryRateLimitStore, type RateLimitCounter, type RateLimitStore } from '@acme/auth-core'

/** A {@link RateLimitStore} whose counters a test can read; see {@link createTestRateLimitStore}. */
export interface TestRateLimitStore extends RateLimitStore {
  /** How many counters the store holds (expired ones it has not dropped yet included). */
  readonly size: number
  /** Every counter as last written, by key: `login:acct:<hash>`, `login:ip:<ip>`, … */
  snapshot(): Record<string, RateLimitCounter>
}

/**
 * A rate-limit store that remembers what it wrote, for assertions such as "this IP has used 3
 * attempts". It wraps `inner` (core's {@link MemoryRateLimitStore} by default, or a Redis store) and
 * mirrors each counter `add` returns; `delete` forgets it.
 *
 * @example
 * ```ts
 * import { createLoginLimiter } from '@acme/auth-core'
 * import { createTestRateLimitStore } from '@acme/auth-testing'
 *
 * const store = createTestRateLimitStore()
 * const limiter = createLoginLimiter({ store })
 * await limiter.attempt({ account: 'alice@example.com', ip: '203.0.113.9' })
 * store.snapshot()['login:ip:203.0.113.9'] // { value: 1, expiresAt: … }
 * ```
 */
export function createTestRateLimitStore(inner: RateLimitStore = new MemoryRateLimitStore()): TestRateLimitStore {
  const counters = new Map<string, RateLimitCounter>()
  return Object.freeze({
    get size() {
      return counters.size
    },
    snapshot: () => Object.fromEntries([...counters].map(([key, counter]) => [key, { ...counter }])),
    async add(key: string, points: number, windowMs: number, now: number, replace: boolean) {
      const counter = await inner.add(key, points, windowMs, now, replace)
      counters.set(key, { ...counter })
      return counter
    },
    get: (key: string, now: number) => inner.get(key, now),
    async delete(key: string) {
      counters.delete(key)
      return inner.delete(key)
    },
  })
}
