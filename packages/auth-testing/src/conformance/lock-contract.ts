import { expect } from 'vitest'

/** The store-lock half of the key and refresh store contracts: SET NX PX plus compare-and-delete. */
export interface LockingStore {
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  releaseLock(name: string, token: string): Promise<void>
}

/**
 * One holder at a time (also among 20 concurrent callers), released only by its own token, and
 * free again after its TTL. The TTL is real time (50 ms), as Redis's PX is.
 */
export async function expectLockContract(store: LockingStore, other: LockingStore, name: string): Promise<void> {
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).acquireLock(name, 10_000)))
  const holders = tokens.filter((token): token is string => token !== null)
  expect(holders).toHaveLength(1)
  const held = holders[0]!
  await other.releaseLock(name, 'not-the-holder')
  expect(await store.acquireLock(name, 10_000)).toBeNull()
  await other.releaseLock(name, held)
  const again = await store.acquireLock(name, 50)
  expect(again).not.toBeNull()
  expect(again).not.toBe(held)
  await new Promise((resolve) => setTimeout(resolve, 120))
  const afterExpiry = await other.acquireLock(name, 10_000)
  expect(afterExpiry).not.toBeNull()
  // The expired holder's late release must not free the new holder's lock.
  await store.releaseLock(name, again!)
  expect(await store.acquireLock(name, 10_000)).toBeNull()
  await store.releaseLock(name, afterExpiry!)
}
