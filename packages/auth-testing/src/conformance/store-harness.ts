import { afterEach, beforeEach } from 'vitest'

/**
 * What a conformance suite needs from the store under test. The suite calls its `setup` before
 * every test, so each test starts from an empty store (Redis: a fresh key prefix).
 */
export interface StoreHarness<Store> {
  store: Store
  /** Everything the store persisted, as text (Redis: every key and value under its prefix). */
  dump(): Promise<string>
  /**
   * Another store object over the same data, as a second server instance would hold it (Redis: its
   * own connection). Used by the multi-instance checks.
   * @default the same `store`
   */
  another?(): Store | Promise<Store>
  /** Releases connections and data after the test. */
  close?(): Promise<void>
}

/** The harness setup a suite is given: called once per test. */
export type StoreHarnessSetup<Store> = () => StoreHarness<Store> | Promise<StoreHarness<Store>>

/** Registers per-test setup and teardown; the returned function gives the current test's harness. */
export function useStoreHarness<Store>(setup: StoreHarnessSetup<Store>): () => Required<Omit<StoreHarness<Store>, 'close'>> {
  let current: StoreHarness<Store> | undefined
  beforeEach(async () => {
    current = await setup()
  })
  afterEach(async () => {
    const closing = current
    current = undefined
    await closing?.close?.()
  })
  return () => {
    if (!current) throw new Error('the store harness is used outside a test')
    const harness = current
    return { store: harness.store, dump: () => harness.dump(), another: async () => (harness.another ? harness.another() : harness.store) }
  }
}
