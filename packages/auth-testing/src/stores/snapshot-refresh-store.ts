import type { MemoryRefreshStore, RefreshFamilyRecord, RefreshTokenRecord } from '@acme/auth-core'

/** Everything a refresh store holds: families and token records (hashes and sealed boxes, never secrets). */
export interface RefreshStoreSnapshot {
  families: RefreshFamilyRecord[]
  tokens: RefreshTokenRecord[]
}

/**
 * The families and tokens held by core's {@link MemoryRefreshStore} (which lists only its
 * tokens), for assertions and "nothing secret at rest" checks.
 *
 * @example
 * ```ts
 * import { MemoryRefreshStore } from '@acme/auth-core'
 * import { snapshotRefreshStore } from '@acme/auth-testing'
 *
 * const store = new MemoryRefreshStore()
 * // … issue and rotate through createRefreshFamilies({ store, accessTokens }) …
 * const { families } = await snapshotRefreshStore(store)
 * expect(families.filter((family) => family.status === 'revoked')).toHaveLength(1)
 * ```
 */
export async function snapshotRefreshStore(store: Pick<MemoryRefreshStore, 'tokens' | 'find'>): Promise<RefreshStoreSnapshot> {
  const tokens = [...store.tokens()].map((token) => ({ ...token }))
  const families = new Map<string, RefreshFamilyRecord>()
  for (const token of tokens) {
    if (families.has(token.familyId)) continue
    const found = await store.find(token.id)
    if (found) families.set(token.familyId, found.family)
  }
  return { families: [...families.values()], tokens }
}
