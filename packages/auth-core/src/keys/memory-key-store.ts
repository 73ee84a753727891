import { systemClock, type Clock } from '../clock.js'
import { MemoryLocks } from './lib/memory-locks.js'
import type { KeyStore } from './key-store.js'
import type { KeyRingState, StoredSigningKey } from './signing-key.js'

/**
 * The embedded key store: one process, nothing persisted (a restart makes a new ring, so tokens
 * signed before it stop verifying). Key rings in one process that share an instance share keys.
 *
 * @example
 * ```ts
 * import { createKeyRing, MemoryKeyStore } from '@acme/auth-core'
 *
 * const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: process.env.KEY_SECRET! })
 * ```
 */
export class MemoryKeyStore implements KeyStore {
  #state: KeyRingState = Object.freeze({ version: 0, keys: Object.freeze([]) })
  readonly #locks: MemoryLocks

  /** @param options.clock for lock expiry. @default systemClock */
  constructor(options: { clock?: Clock } = {}) {
    this.#locks = new MemoryLocks(options.clock ?? systemClock)
  }

  load(): Promise<KeyRingState> {
    return Promise.resolve(this.#state)
  }

  compareAndSet(keys: readonly StoredSigningKey[], expectedVersion: number): Promise<boolean> {
    if (this.#state.version !== expectedVersion) return Promise.resolve(false)
    const copy = keys.map((key) => Object.freeze({ ...key, publicJwk: Object.freeze({ ...key.publicJwk }) }))
    this.#state = Object.freeze({ version: expectedVersion + 1, keys: Object.freeze(copy) })
    return Promise.resolve(true)
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return Promise.resolve(this.#locks.acquire(name, ttlMs))
  }

  releaseLock(name: string, token: string): Promise<void> {
    this.#locks.release(name, token)
    return Promise.resolve()
  }
}
