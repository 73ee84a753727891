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
  /**
   * Stores a record; one saved under an id that exists replaces it (the account routes' 6-digit
   * codes keep one id per address and purpose). Expired records must disappear by themselves eventually.
   */
  save(record: OneTimeTokenRecord, now: number): Promise<void>
  /**
   * Atomically removes and returns the record `id` when its `secretHash` and `purpose` match and it
   * is live at `now`: of any number of concurrent callers, exactly one receives it. A record that
   * does not match is left alone (a wrong guess cannot burn someone's token); an expired one is
   * deleted and `null` returned.
   */
  consumeOne(id: string, match: { secretHash: string; purpose: string }, now: number): Promise<OneTimeTokenRecord | null>
  /**
   * Deletes every record of `userId` (account deletion). Optional: a store without it keeps them
   * until they expire (they fail anyway once the user is gone). Returns how many were deleted.
   */
  deleteAllForUser?(userId: string): Promise<number>
}

/** Options of {@link MemoryOneTimeTokenStore}. */
export interface MemoryOneTimeTokenStoreOptions {
  /**
   * The most records held at once. When full, each new record evicts the oldest one (its token
   * stops working), so memory stays bounded whatever the request rate.
   * @default unbounded
   */
  maxRecords?: number
}

/**
 * The embedded {@link OneTimeTokenStore}: one process; expired records are swept at most once a
 * minute (by the injected clock). With `maxRecords`, the oldest records are evicted first when
 * full.
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
  readonly #maxRecords: number
  #lastSweep = Number.NEGATIVE_INFINITY

  constructor(options: MemoryOneTimeTokenStoreOptions = {}) {
    const max = options.maxRecords
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new TypeError('options.maxRecords must be a positive integer')
    this.#maxRecords = max ?? Number.POSITIVE_INFINITY
  }

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
    // A Map iterates in insertion order: the first keys are the oldest records (and, for one TTL,
    // the first to expire).
    for (const id of this.#records.keys()) {
      if (this.#records.size < this.#maxRecords) break
      this.#records.delete(id)
    }
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

  deleteAllForUser(userId: string): Promise<number> {
    let deleted = 0
    for (const [id, record] of this.#records) {
      if (record.userId === userId && this.#records.delete(id)) deleted++
    }
    return Promise.resolve(deleted)
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return
    this.#lastSweep = now
    for (const [id, record] of this.#records) if (now >= record.expiresAt) this.#records.delete(id)
  }
}
