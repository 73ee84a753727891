// The key lifecycle as pure functions over the stored ring, so every rule is testable without a
// store and every instance computes the same ring from the same input.
import { activeKeyAt, keyStatusAt, type StoredSigningKey } from './signing-key.js'

export interface RingPlan {
  keys: StoredSigningKey[]
  /** Keys this change deletes from the store (for KEY_REMOVED events). */
  removed: StoredSigningKey[]
}

/** Drops keys whose `removesAt` has passed. */
export function pruneRemoved(keys: readonly StoredSigningKey[], now: number): RingPlan {
  const kept: StoredSigningKey[] = []
  const removed: StoredSigningKey[] = []
  for (const key of keys) (keyStatusAt(key, now) === 'removed' ? removed : kept).push(key)
  return { keys: kept, removed }
}

/** The key published but not yet signing, if any. */
export function pendingKeyAt(keys: readonly StoredSigningKey[], now: number): StoredSigningKey | undefined {
  return keys.find((key) => keyStatusAt(key, now) === 'next')
}

/**
 * The ring after introducing `fresh` (whose `activatesAt` the caller chose). Normally every key
 * without a successor retires when `fresh` activates and stays published `retainMs` longer, so
 * tokens it signed keep verifying. After a compromise every other key is removed at once.
 */
export function planRotation(
  keys: readonly StoredSigningKey[],
  fresh: StoredSigningKey,
  now: number,
  options: { retainMs: number; compromised: boolean },
): RingPlan {
  const pruned = pruneRemoved(keys, now)
  if (options.compromised) return { keys: [fresh], removed: [...pruned.removed, ...pruned.keys] }
  const next = pruned.keys.map((key) =>
    key.retiresAt === null
      ? { ...key, retiresAt: fresh.activatesAt, removesAt: fresh.activatesAt + options.retainMs }
      : key,
  )
  return { keys: [...next, fresh], removed: pruned.removed }
}

/** Whether a scheduled rotation is due: the newest key is active and older than `intervalMs`. */
export function isRotationDue(keys: readonly StoredSigningKey[], now: number, intervalMs: number): boolean {
  if (intervalMs <= 0 || pendingKeyAt(keys, now)) return false
  const active = activeKeyAt(keys, now)
  return active === undefined || now >= active.activatesAt + intervalMs
}
