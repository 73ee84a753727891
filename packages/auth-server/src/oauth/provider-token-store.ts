/**
 * Where provider tokens wait between requests, keyed by our session id. The values are opaque
 * sealed envelopes (AES-256-GCM, bound to the session id): a store never sees a token in clear.
 * Time is passed in, never read by the store.
 *
 * @example
 * ```ts
 * // A Redis store, sketched with ioredis:
 * const store: ProviderTokenStore = {
 *   get: (sessionId) => redis.get(`oauth:tokens:${sessionId}`),
 *   set: async (sessionId, sealed, expiresAt) => {
 *     await redis.set(`oauth:tokens:${sessionId}`, sealed, 'PXAT', expiresAt)
 *   },
 *   delete: async (sessionId) => {
 *     await redis.del(`oauth:tokens:${sessionId}`)
 *   },
 * }
 * ```
 */
export interface ProviderTokenStore {
  /** The sealed record of `sessionId`, or `null` when there is none or it expired at `now`. */
  get(sessionId: string, now: number): Promise<string | null>
  /** Replaces the sealed record of `sessionId`; it may be dropped after `expiresAt` (epoch ms). */
  set(sessionId: string, sealed: string, expiresAt: number): Promise<void>
  /** Forgets the record of `sessionId` (sign-out). */
  delete(sessionId: string): Promise<void>
}

/**
 * The embedded {@link ProviderTokenStore}: one process, bounded (oldest records dropped first),
 * expired records swept at most once a minute (by the time `get` is given).
 *
 * @example
 * ```ts
 * const oauth = createOAuth(auth, { providers, users, secret, http, stores: { tokens: new MemoryProviderTokenStore() } })
 * ```
 */
export class MemoryProviderTokenStore implements ProviderTokenStore {
  readonly #records = new Map<string, { sealed: string; expiresAt: number }>()
  readonly #maxEntries: number
  #lastSweep = Number.NEGATIVE_INFINITY

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000
  }

  /** Every sealed value held, for tests that check nothing is stored in clear. */
  snapshot(): readonly string[] {
    return [...this.#records.values()].map((record) => record.sealed)
  }

  get(sessionId: string, now: number): Promise<string | null> {
    this.#sweep(now)
    const record = this.#records.get(sessionId)
    if (!record) return Promise.resolve(null)
    if (now >= record.expiresAt) {
      this.#records.delete(sessionId)
      return Promise.resolve(null)
    }
    return Promise.resolve(record.sealed)
  }

  set(sessionId: string, sealed: string, expiresAt: number): Promise<void> {
    this.#records.delete(sessionId)
    this.#records.set(sessionId, { sealed, expiresAt })
    if (this.#records.size > this.#maxEntries) {
      const oldest = this.#records.keys().next()
      if (!oldest.done) this.#records.delete(oldest.value)
    }
    return Promise.resolve()
  }

  delete(sessionId: string): Promise<void> {
    this.#records.delete(sessionId)
    return Promise.resolve()
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return
    this.#lastSweep = now
    for (const [id, record] of this.#records) if (now >= record.expiresAt) this.#records.delete(id)
  }
}
