import { createLoginLimiter, type RateLimitStore } from '@acme/auth-core'
import { randomToken } from '@acme/auth-core/internal'
import { describe, expect, it } from 'vitest'
import { createTestClock } from '../test-clock.js'
import { useStoreHarness, type StoreHarness, type StoreHarnessSetup } from './store-harness.js'

/** What {@link runRateLimitStoreConformance} needs: a fresh, empty rate-limit store per call. */
export type RateLimitStoreHarness = StoreHarness<RateLimitStore>

const now = Date.UTC(2030, 0, 1)
const key = (label: string) => `conformance:${label}:${randomToken(6)}`

/**
 * The rate-limit store contract, as vitest tests: counters that add up within their window
 * (which never slides), start over after it, `replace` for blocks, no-expiry counters, delete,
 * distinct keys that never collide, 50 concurrent adds that all count, and core's
 * `createLoginLimiter` over the store (lock by its clock, no parallel slip-through, no email at
 * rest). Time is always the caller's `now`. `setup` runs before every test.
 *
 * @example
 * ```ts
 * import { createTestRateLimitStore } from '@acme/auth-testing'
 * import { runRateLimitStoreConformance } from '@acme/auth-testing/conformance'
 *
 * runRateLimitStoreConformance('MemoryRateLimitStore', () => {
 *   const store = createTestRateLimitStore()
 *   return { store, dump: async () => JSON.stringify(store.snapshot()) }
 * })
 * ```
 */
export function runRateLimitStoreConformance(name: string, setup: StoreHarnessSetup<RateLimitStore>): void {
  describe(`${name}: rate-limit store conformance`, () => {
    const harness = useStoreHarness(setup)

    it('adds points within a window that does not slide, and starts over once it ends', async () => {
      const { store } = harness()
      const k = key('window')
      expect(await store.get(k, now)).toBeNull()
      expect(await store.add(k, 1, 60_000, now, false)).toEqual({ value: 1, expiresAt: now + 60_000 })
      expect(await store.add(k, 2, 60_000, now + 30_000, false)).toEqual({ value: 3, expiresAt: now + 60_000 })
      expect(await store.get(k, now + 59_999)).toEqual({ value: 3, expiresAt: now + 60_000 })
      expect(await store.get(k, now + 60_000)).toBeNull()
      expect(await store.add(k, 1, 60_000, now + 60_000, false)).toEqual({ value: 1, expiresAt: now + 120_000 })
    })

    it('replace sets the counter and a new window whatever it held (a block)', async () => {
      const { store } = harness()
      const k = key('block')
      await store.add(k, 5, 60_000, now, false)
      expect(await store.add(k, 1, 900_000, now + 1_000, true)).toEqual({ value: 1, expiresAt: now + 901_000 })
      expect(await store.get(k, now + 900_000)).toEqual({ value: 1, expiresAt: now + 901_000 })
    })

    it('a window of 0 never expires', async () => {
      const { store } = harness()
      const k = key('forever')
      expect(await store.add(k, 2, 0, now, false)).toEqual({ value: 2, expiresAt: null })
      expect(await store.add(k, 2, 0, now + 400 * 86_400_000, false)).toEqual({ value: 4, expiresAt: null })
    })

    it('delete removes a counter and says whether there was one; keys never collide', async () => {
      const { store } = harness()
      const base = key('delete')
      const keys = [base, `${base}:x`, `${base}|x`, `${base} x`, `${base}:é`, `${base}{x}`]
      for (const [i, k] of keys.entries()) await store.add(k, i + 1, 60_000, now, false)
      for (const [i, k] of keys.entries()) expect((await store.get(k, now))?.value).toBe(i + 1)
      expect(await store.delete(base)).toBe(true)
      expect(await store.delete(base)).toBe(false)
      expect(await store.get(base, now)).toBeNull()
      expect((await store.get(`${base}:x`, now))?.value).toBe(2)
    })

    it('50 concurrent adds to one key, from two instances, all count', async () => {
      const { store, another } = harness()
      const other = await another()
      const k = key('concurrent')
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).add(k, 1, 60_000, now, false)))
      expect(results.map((counter) => counter.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
      expect(await store.get(k, now)).toEqual({ value: 50, expiresAt: now + 60_000 })
    })

    it('through createLoginLimiter: locks an account by the limiter’s clock and lifts the lock on time', async () => {
      const clock = createTestClock()
      const limiter = createLoginLimiter({ store: harness().store, clock, account: { maxAttempts: 3, windowSeconds: 600, blockSeconds: 600 } })
      const who = { account: `${randomToken(6)}@example.com`, ip: '198.51.100.7' }
      for (let i = 0; i < 3; i++) expect(await limiter.attempt(who)).toEqual({ allowed: true })
      expect(await limiter.attempt(who)).toEqual({ allowed: false, reason: 'locked', limit: 'account', retryAfterSeconds: 600 })
      clock.advance(599_000)
      expect((await limiter.check(who)).allowed).toBe(false)
      clock.advance(1_000)
      expect(await limiter.attempt(who)).toEqual({ allowed: true })
    })

    it('through createLoginLimiter: 30 parallel attempts cannot all slip past the lock', async () => {
      const limiter = createLoginLimiter({ store: harness().store, clock: createTestClock(), ipAccount: { maxAttempts: 1000 }, account: { maxAttempts: 10 } })
      const who = { account: `${randomToken(6)}@example.com`, ip: '198.51.100.8' }
      const results = await Promise.all(Array.from({ length: 30 }, () => limiter.attempt(who)))
      expect(results.filter((result) => result.allowed).length).toBeLessThanOrEqual(10)
    })

    it('holds no email at rest (account identifiers arrive hashed)', async () => {
      const limiter = createLoginLimiter({ store: harness().store, clock: createTestClock() })
      await limiter.attempt({ account: 'carol.conformance@example.com', ip: '192.0.2.1' })
      const dump = await harness().dump()
      expect(dump).toContain('192.0.2.1') // the dump really holds the counters
      expect(dump.toLowerCase()).not.toContain('carol')
    })
  })
}
