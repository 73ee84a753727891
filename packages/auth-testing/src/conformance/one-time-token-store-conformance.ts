import { createOneTimeTokens, type OneTimeTokenRecord, type OneTimeTokenStore } from '@acme/auth-core'
// Records written straight to the store carry a hash the way core computes it.
import { randomToken, sha256 } from '@acme/auth-core/internal'
import { describe, expect, it } from 'vitest'
import { createTestClock } from '../test-clock.js'
import { useStoreHarness, type StoreHarness, type StoreHarnessSetup } from './store-harness.js'

/** What {@link runOneTimeTokenStoreConformance} needs: a fresh, empty one-time token store per call. */
export type OneTimeTokenStoreHarness = StoreHarness<OneTimeTokenStore>

const minute = 60_000

async function record(overrides: Partial<OneTimeTokenRecord> = {}): Promise<OneTimeTokenRecord> {
  return {
    id: randomToken(16),
    userId: `user-${randomToken(6)}`,
    purpose: 'password_reset',
    secretHash: await sha256(randomToken(32)),
    expiresAt: Date.UTC(2030, 0, 1) + 15 * minute,
    ...overrides,
  }
}

/**
 * The one-time token store contract, as vitest tests: `consumeOne` returns the record once for the
 * right hash and purpose while it is live, leaves it alone on a wrong guess, deletes it when
 * expired, and hands it to exactly one of 50 concurrent callers (also through core's
 * `createOneTimeTokens`); only hashes at rest; and `deleteAllForUser`, when the store has it.
 * `setup` runs before every test.
 *
 * @example
 * ```ts
 * import { MemoryOneTimeTokenStore } from '@acme/auth-core'
 * import { runOneTimeTokenStoreConformance } from '@acme/auth-testing/conformance'
 *
 * runOneTimeTokenStoreConformance('MemoryOneTimeTokenStore', () => {
 *   const store = new MemoryOneTimeTokenStore()
 *   return { store, dump: async () => JSON.stringify(store.snapshot()) }
 * })
 * ```
 */
export function runOneTimeTokenStoreConformance(name: string, setup: StoreHarnessSetup<OneTimeTokenStore>): void {
  describe(`${name}: one-time token store conformance`, () => {
    const harness = useStoreHarness(setup)
    const now = Date.UTC(2030, 0, 1)

    it('consumes a saved record once, field for field, for the right hash and purpose', async () => {
      const { store } = harness()
      const saved = await record()
      await store.save(saved, now)
      const match = { secretHash: saved.secretHash, purpose: saved.purpose }
      expect(await store.consumeOne(saved.id, match, now + minute)).toEqual(saved)
      expect(await store.consumeOne(saved.id, match, now + minute)).toBeNull()
      expect(await store.consumeOne(randomToken(16), match, now)).toBeNull()
    })

    it('a wrong hash or purpose gets nothing and burns nothing', async () => {
      const { store } = harness()
      const saved = await record()
      await store.save(saved, now)
      expect(await store.consumeOne(saved.id, { secretHash: await sha256('a guess'), purpose: saved.purpose }, now)).toBeNull()
      expect(await store.consumeOne(saved.id, { secretHash: saved.secretHash, purpose: 'email_verification' }, now)).toBeNull()
      expect(await store.consumeOne(saved.id, { secretHash: saved.secretHash, purpose: saved.purpose }, now)).toEqual(saved)
    })

    it('is live until just before expiresAt; an expired record is deleted, not kept for later', async () => {
      const { store } = harness()
      const [early, late] = [await record(), await record()]
      await store.save(early, now)
      await store.save(late, now)
      const matchOf = (saved: OneTimeTokenRecord) => ({ secretHash: saved.secretHash, purpose: saved.purpose })
      expect(await store.consumeOne(early.id, matchOf(early), early.expiresAt - 1)).toEqual(early)
      expect(await store.consumeOne(late.id, matchOf(late), late.expiresAt)).toBeNull()
      // Asked again "earlier" (a caller with a slower clock), it is gone all the same.
      expect(await store.consumeOne(late.id, matchOf(late), now)).toBeNull()
    })

    it('of 50 concurrent consumes of one record, from two instances, exactly one wins', async () => {
      const { store, another } = harness()
      const other = await another()
      const saved = await record()
      await store.save(saved, now)
      const match = { secretHash: saved.secretHash, purpose: saved.purpose }
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).consumeOne(saved.id, match, now)))
      expect(results.filter((result) => result !== null)).toEqual([saved])
    })

    it('through createOneTimeTokens: single use under 50 concurrent consumes, and expiry by the injected clock', async () => {
      const clock = createTestClock()
      const tokens = createOneTimeTokens({ store: harness().store, clock })
      const { token, id } = await tokens.issue('user-1', 'email_verification')
      const results = await Promise.all(Array.from({ length: 50 }, () => tokens.consume(token, 'email_verification')))
      expect(results.filter((result) => result !== null)).toEqual([{ userId: 'user-1', id }])
      const short = await tokens.issue('user-1', 'password_reset', { ttlSeconds: 60 })
      clock.advance(60_000)
      expect(await tokens.consume(short.token, 'password_reset')).toBeNull()
    })

    it('deleteAllForUser (when the store has it) deletes every record of the user and no one else’s', async (context) => {
      const { store } = harness()
      if (typeof store.deleteAllForUser !== 'function') return context.skip()
      const [a, b] = [await record({ userId: 'user-gone' }), await record({ userId: 'user-gone', purpose: 'email_verification' })]
      const kept = await record()
      for (const saved of [a, b, kept]) await store.save(saved, now)
      expect(await store.deleteAllForUser('user-gone')).toBe(2)
      for (const saved of [a, b]) expect(await store.consumeOne(saved.id, { secretHash: saved.secretHash, purpose: saved.purpose }, now)).toBeNull()
      expect(await store.consumeOne(kept.id, { secretHash: kept.secretHash, purpose: kept.purpose }, now)).toEqual(kept)
      expect(await store.deleteAllForUser('user-gone')).toBe(0)
    })

    it('stores no secret: only its SHA-256', async () => {
      const tokens = createOneTimeTokens({ store: harness().store, clock: createTestClock() })
      const issued = await Promise.all([1, 2, 3].map((n) => tokens.issue(`user-${n}`, 'password_reset')))
      const dump = await harness().dump()
      expect(dump).toContain(issued[0]!.id)
      for (const { token } of issued) {
        const secret = token.split('.')[1]!
        expect(dump).not.toContain(secret)
        expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'))
      }
    })
  })
}
