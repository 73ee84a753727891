import { timingSafeEqual } from '../lib/crypto.js'
import { readNow, type ReadsNow } from './read-now.js'
import type { SessionRecord } from './session.js'
import type { SessionInvalidation, SessionPatch, SessionStore } from './session-store.js'

const isLive = (record: SessionRecord, now: number) => now < record.idleExpiresAt && now < record.absoluteExpiresAt

// Records are copied once on the way in and frozen, then handed out as they are: reads cost no
// copy, and no caller can change what another caller sees.
function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) freeze(child)
    Object.freeze(value)
  }
  return value
}

/**
 * The embedded session store: one process, nothing persisted. Expired sessions are dropped when
 * touched and swept in bulk at most once a minute, so memory stays bounded by the live sessions.
 * Managers in one process that share an instance see each other's revocations at once.
 * Records it returns are frozen.
 *
 * @example
 * ```ts
 * import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
 *
 * const sessions = createSessionManager({ store: new MemorySessionStore() })
 * ```
 */
export class MemorySessionStore implements SessionStore, ReadsNow {
  readonly #sessions = new Map<string, SessionRecord>()
  readonly #byUser = new Map<string, Set<string>>()
  readonly #listeners = new Set<(invalidation: SessionInvalidation) => void>()
  readonly #sweepIntervalMs: number
  #lastSweep = Number.NEGATIVE_INFINITY

  /** @param options.sweepIntervalSeconds how often expired sessions are swept in bulk. @default 60 */
  constructor(options: { sweepIntervalSeconds?: number } = {}) {
    this.#sweepIntervalMs = (options.sweepIntervalSeconds ?? 60) * 1000
  }

  /** How many sessions are held, expired ones not yet swept included (for tests and metrics). */
  get size(): number {
    return this.#sessions.size
  }

  /** Every record held (hashes, never secrets), for inspection in tests and debugging. */
  snapshot(): readonly SessionRecord[] {
    return [...this.#sessions.values()]
  }

  create(record: SessionRecord, now: number): Promise<void> {
    this.#sweep(now)
    this.#sessions.set(record.id, freeze(structuredClone(record)))
    let ids = this.#byUser.get(record.userId)
    if (!ids) this.#byUser.set(record.userId, (ids = new Set()))
    ids.add(record.id)
    return Promise.resolve()
  }

  get(id: string, now: number): Promise<SessionRecord | null> {
    return Promise.resolve(this.#read(id, now))
  }

  /**
   * `get` without the promise, for the session manager. `undefined` when `get` was replaced on
   * this instance (a spy, an instrumentation wrapper): that `get` must still see every read.
   */
  [readNow](id: string, now: number): SessionRecord | null | undefined {
    return this.get === MemorySessionStore.prototype.get ? this.#read(id, now) : undefined
  }

  #read(id: string, now: number): SessionRecord | null {
    const record = this.#sessions.get(id)
    if (!record) return null
    if (!isLive(record, now)) {
      this.#remove(record)
      return null
    }
    return record
  }

  update(id: string, patch: SessionPatch, now: number, expectedSecretHash?: string): Promise<boolean> {
    const record = this.#sessions.get(id)
    if (!record || !isLive(record, now)) return Promise.resolve(false)
    if (expectedSecretHash !== undefined && !timingSafeEqual(record.secretHash, expectedSecretHash)) return Promise.resolve(false)
    this.#sessions.set(id, freeze({ ...record, ...structuredClone(patch) }))
    if (patch.secretHash !== undefined || patch.data !== undefined || patch.authLevel !== undefined) {
      this.#notify([id])
    }
    return Promise.resolve(true)
  }

  delete(id: string, userId?: string): Promise<boolean> {
    const record = this.#sessions.get(id)
    if (!record || (userId !== undefined && record.userId !== userId)) return Promise.resolve(false)
    this.#remove(record)
    this.#notify([id])
    return Promise.resolve(true)
  }

  deleteAllForUser(userId: string, exceptId?: string): Promise<string[]> {
    const deleted: string[] = []
    for (const id of this.#byUser.get(userId) ?? []) {
      const record = this.#sessions.get(id)
      if (id === exceptId || !record) continue
      this.#remove(record)
      deleted.push(id)
    }
    if (deleted.length > 0) this.#notify(deleted)
    return Promise.resolve(deleted)
  }

  listForUser(userId: string, now: number): Promise<SessionRecord[]> {
    const out: SessionRecord[] = []
    for (const id of this.#byUser.get(userId) ?? []) {
      const record = this.#sessions.get(id)
      if (record && isLive(record, now)) out.push(record)
    }
    return Promise.resolve(out)
  }

  onInvalidate(listener: (invalidation: SessionInvalidation) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #notify(ids: readonly string[]): void {
    for (const listener of this.#listeners) listener(ids)
  }

  #remove(record: SessionRecord): void {
    this.#sessions.delete(record.id)
    const ids = this.#byUser.get(record.userId)
    ids?.delete(record.id)
    if (ids?.size === 0) this.#byUser.delete(record.userId)
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#sweepIntervalMs) return
    this.#lastSweep = now
    for (const record of this.#sessions.values()) if (!isLive(record, now)) this.#remove(record)
  }
}
