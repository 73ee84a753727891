import { timingSafeEqual } from '../lib/crypto.js'

/** A stored one-time token: only the SHA-256 of its secret, never the secret. */
export interface OneTimeTokenRecord {
  id: string
  userId: string
  purpose: string
  secretHash: string
  /** Epoch ms (injected clock). */
  expiresAt: number
}

/**
 * Where one-time tokens live. Two operations; time is passed in, never read by the store.
 * Memory: {@link MemoryOneTimeTokenStore}; Redis: `RedisOneTimeTokenStore` from `@acme/auth-core/redis`.
 */
export interface OneTimeTokenStore {
  /** Stores a new record. Expired records must disappear by themselves eventually. */
  save(record: OneTimeTokenRecord, now: number): Promise<void>
  /**
   * Atomically removes and returns the record `id` when its `secretHash` and `purpose` match and it
   * is live at `now`: of any number of concurrent callers, exactly one receives it. A record that
   * does not match is left alone (a wrong guess cannot burn someone's token); an expired one is
   * deleted and `null` returned.
   */
  consumeOne(id: string, match: { secretHash: string; purpose: string }, now: number): Promise<OneTimeTokenRecord | null>
}

/**
 * The embedded {@link OneTimeTokenStore}: one process; expired records are swept at most once a
 * minute (by the injected clock).
 *
 * @example
 * ```ts
 * import { createOneTimeTokens, MemoryOneTimeTokenStore } from '@acme/auth-core'
 *
 * const tokens = createOneTimeTokens({ store: new MemoryOneTimeTokenStore() })
 * ```
 */
export class MemoryOneTimeTokenStore implements OneTimeTokenStore {
  readonly #records = new Map<string, Readonly<OneTimeTokenRecord>>()
  #lastSweep = Number.NEGATIVE_INFINITY

  /** How many records are held (expired ones not yet swept included). */
  get size(): number {
    return this.#records.size
  }

  /** Every record held (hashes, never secrets), for tests. */
  snapshot(): readonly Readonly<OneTimeTokenRecord>[] {
    return [...this.#records.values()]
  }

  save(record: OneTimeTokenRecord, now: number): Promise<void> {
    this.#sweep(now)
    this.#records.set(record.id, Object.freeze({ ...record }))
    return Promise.resolve()
  }

  consumeOne(id: string, match: { secretHash: string; purpose: string }, now: number): Promise<OneTimeTokenRecord | null> {
    // Synchronous check-and-delete: no await between them, so two callers cannot both get it.
    const record = this.#records.get(id)
    if (!record || !timingSafeEqual(record.secretHash, match.secretHash) || record.purpose !== match.purpose) return Promise.resolve(null)
    this.#records.delete(id)
    return Promise.resolve(now < record.expiresAt ? { ...record } : null)
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return
    this.#lastSweep = now
    for (const [id, record] of this.#records) if (now >= record.expiresAt) this.#records.delete(id)
  }
}
