import { systemClock, type Clock } from '../clock.js'
import { MemoryLocks } from '../keys/lib/memory-locks.js'
import type { RefreshFamilyRecord, RefreshStore, RefreshTokenRecord, RotateOutcome, RotateRequest } from './refresh-store.js'
import { decideRotation } from './rotation-decision.js'

const SWEEP_INTERVAL_MS = 60_000

/**
 * The embedded refresh store: one process, nothing persisted. Each method runs to completion
 * without awaiting, so it is atomic. Families past their absolute expiry are swept at most once a
 * minute.
 *
 * @example
 * ```ts
 * import { createRefreshFamilies, MemoryRefreshStore } from '@acme/auth-core'
 *
 * const families = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens })
 * ```
 */
export class MemoryRefreshStore implements RefreshStore {
  readonly #families = new Map<string, RefreshFamilyRecord>()
  readonly #tokens = new Map<string, RefreshTokenRecord>()
  readonly #byUser = new Map<string, Set<string>>()
  readonly #locks: MemoryLocks
  readonly #clock: Clock
  #lastSweep = Number.NEGATIVE_INFINITY

  /** @param options.clock for lock expiry and sweeping. @default systemClock */
  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock
    this.#locks = new MemoryLocks(this.#clock)
  }

  /** Every token record held (hashes and sealed boxes, never secrets): for tests. */
  tokens(): readonly RefreshTokenRecord[] {
    return [...this.#tokens.values()]
  }

  create(family: RefreshFamilyRecord, first: RefreshTokenRecord): Promise<void> {
    this.#sweep()
    this.#families.set(family.id, structuredClone(family))
    this.#tokens.set(first.id, { ...first })
    let ids = this.#byUser.get(family.userId)
    if (!ids) this.#byUser.set(family.userId, (ids = new Set()))
    ids.add(family.id)
    return Promise.resolve()
  }

  find(tokenId: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | null> {
    const token = this.#tokens.get(tokenId)
    const family = token && this.#families.get(token.familyId)
    return Promise.resolve(token && family ? { token: { ...token }, family: structuredClone(family) } : null)
  }

  rotate(request: RotateRequest): Promise<RotateOutcome> {
    const token = this.#tokens.get(request.tokenId)
    const { outcome, writes } = decideRotation(token, token && this.#families.get(token.familyId), request)
    if (writes?.token) this.#tokens.set(writes.token.id, writes.token)
    if (writes?.successor) this.#tokens.set(writes.successor.id, { ...writes.successor })
    if (writes?.family) this.#families.set(writes.family.id, writes.family)
    return Promise.resolve(structuredClone(outcome))
  }

  revokeFamily(familyId: string, now: number, reason: string): Promise<RefreshFamilyRecord | null> {
    return Promise.resolve(this.#revoke(familyId, now, reason))
  }

  revokeAllForUser(userId: string, now: number, reason: string): Promise<RefreshFamilyRecord[]> {
    const revoked: RefreshFamilyRecord[] = []
    for (const id of this.#byUser.get(userId) ?? []) {
      const family = this.#revoke(id, now, reason)
      if (family) revoked.push(family)
    }
    return Promise.resolve(revoked)
  }

  updateRolesForUser(userId: string, roles: readonly string[], now: number): Promise<number> {
    let updated = 0
    for (const id of this.#byUser.get(userId) ?? []) {
      const family = this.#families.get(id)
      if (!family || family.status === 'revoked' || now >= family.absoluteExpiresAt || now >= family.idleExpiresAt) continue
      this.#families.set(id, { ...family, grant: { ...family.grant, roles: [...roles] } })
      updated++
    }
    return Promise.resolve(updated)
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return Promise.resolve(this.#locks.acquire(name, ttlMs))
  }

  releaseLock(name: string, token: string): Promise<void> {
    this.#locks.release(name, token)
    return Promise.resolve()
  }

  #revoke(familyId: string, now: number, reason: string): RefreshFamilyRecord | null {
    const family = this.#families.get(familyId)
    if (!family || family.status === 'revoked' || now >= family.absoluteExpiresAt) return null
    const revoked: RefreshFamilyRecord = { ...family, status: 'revoked', revokedAt: now, revokedReason: reason }
    this.#families.set(familyId, revoked)
    return structuredClone(revoked)
  }

  #sweep(): void {
    const now = this.#clock.now()
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return
    this.#lastSweep = now
    const gone = new Set<string>()
    for (const [id, family] of this.#families) {
      if (now < family.absoluteExpiresAt) continue
      gone.add(id)
      this.#families.delete(id)
      this.#byUser.get(family.userId)?.delete(id)
      if (this.#byUser.get(family.userId)?.size === 0) this.#byUser.delete(family.userId)
    }
    if (gone.size > 0) for (const [id, token] of this.#tokens) if (gone.has(token.familyId)) this.#tokens.delete(id)
  }
}
