import type { KeyRingState, StoredSigningKey } from './signing-key.js'

/**
 * Where the key ring lives, shared by every instance. Each method is one atomic operation.
 * Implementations: {@link MemoryKeyStore} (one process) and `RedisKeyStore` (`@acme/auth-core/redis`).
 */
export interface KeyStore {
  /** The ring, or `{ version: 0, keys: [] }` when none was ever saved. */
  load(): Promise<KeyRingState>
  /**
   * Replaces the keys if the stored version is still `expectedVersion` (compare-and-set), making
   * the version `expectedVersion + 1`. Returns `false`, writing nothing, when another writer won.
   */
  compareAndSet(keys: readonly StoredSigningKey[], expectedVersion: number): Promise<boolean>
  /** Takes the lock `name` for `ttlMs`; returns a token to release it, or `null` when it is held. */
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  /** Releases the lock if `token` still holds it (compare-and-delete). */
  releaseLock(name: string, token: string): Promise<void>
}
