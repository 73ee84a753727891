import type { SessionRecord } from './session.js'

interface Entry {
  record: SessionRecord
  cachedAt: number
}

/**
 * A bounded, short-lived per-instance copy of session records (least recently used goes first).
 * It is only correct together with invalidation notices from the store: see the session manager.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number
  readonly #ttlMs: number
  // Bumped by every invalidation. A read that started before an invalidation must not put what it
  // read into the cache afterwards, or a revoked session could be served until the TTL ends.
  #generation = 0

  constructor(maxEntries: number, ttlMs: number) {
    this.#maxEntries = maxEntries
    this.#ttlMs = ttlMs
  }

  get(id: string, now: number): SessionRecord | undefined {
    const entry = this.#entries.get(id)
    if (!entry) return undefined
    if (now - entry.cachedAt >= this.#ttlMs || now < entry.cachedAt) {
      this.#entries.delete(id)
      return undefined
    }
    // Re-insert so Map order stays least-recently-used first.
    this.#entries.delete(id)
    this.#entries.set(id, entry)
    return entry.record
  }

  /** Marks the start of a store read; pass the value to {@link set}. */
  get generation(): number {
    return this.#generation
  }

  set(record: SessionRecord, now: number, readGeneration: number): void {
    if (readGeneration !== this.#generation) return
    this.#entries.delete(record.id)
    this.#entries.set(record.id, { record, cachedAt: now })
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
  }

  delete(ids: readonly string[]): void {
    this.#generation++
    for (const id of ids) this.#entries.delete(id)
  }

  clear(): void {
    this.#generation++
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}
