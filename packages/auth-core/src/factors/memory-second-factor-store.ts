import type {
  PasskeyRecord,
  PasskeyUse,
  PendingMfaRecord,
  SecondFactorStore,
  TotpFactorRecord,
} from './second-factor-store.js'

import { timingSafeEqual } from '../lib/crypto.js'

const clone = <T>(value: T): T => structuredClone(value)

/**
 * The embedded {@link SecondFactorStore}: one process. Every operation checks and writes with no
 * `await` in between, so each is atomic; expired pending sign-ins are swept at most once a minute
 * (by the `now` callers pass).
 *
 * @example
 * ```ts
 * import { createTotp, MemorySecondFactorStore } from '@acme/auth-core'
 *
 * const totp = createTotp({ store: new MemorySecondFactorStore(), secret: process.env.AUTH_SECRET!, issuer: 'Acme' })
 * ```
 */
export class MemorySecondFactorStore implements SecondFactorStore {
  readonly #totp = new Map<string, TotpFactorRecord>()
  readonly #recovery = new Map<string, Set<string>>()
  readonly #passkeys = new Map<string, PasskeyRecord>()
  readonly #pending = new Map<string, PendingMfaRecord>()
  #lastSweep = Number.NEGATIVE_INFINITY

  /** Everything held (sealed secrets and hashes only), for tests. */
  snapshot(): unknown {
    return {
      totp: [...this.#totp.values()],
      recovery: [...this.#recovery].map(([userId, hashes]) => ({ userId, hashes: [...hashes] })),
      passkeys: [...this.#passkeys.values()],
      pending: [...this.#pending.values()],
    }
  }

  getTotp(userId: string): Promise<TotpFactorRecord | null> {
    const record = this.#totp.get(userId)
    return Promise.resolve(record ? clone(record) : null)
  }

  savePendingTotp(record: TotpFactorRecord): Promise<boolean> {
    if (this.#totp.get(record.userId)?.status === 'active') return Promise.resolve(false)
    this.#totp.set(record.userId, clone({ ...record, status: 'pending' }))
    return Promise.resolve(true)
  }

  activateTotp(userId: string, sealedSecret: string, step: number, now: number): Promise<boolean> {
    const record = this.#totp.get(userId)
    if (!record || record.status !== 'pending' || !timingSafeEqual(record.sealedSecret, sealedSecret)) return Promise.resolve(false)
    this.#totp.set(userId, { ...record, status: 'active', confirmedAt: now, lastUsedStep: step })
    return Promise.resolve(true)
  }

  claimTotpStep(userId: string, step: number): Promise<boolean> {
    const record = this.#totp.get(userId)
    if (!record || record.status !== 'active' || (record.lastUsedStep !== null && record.lastUsedStep >= step)) return Promise.resolve(false)
    this.#totp.set(userId, { ...record, lastUsedStep: step })
    return Promise.resolve(true)
  }

  deleteTotp(userId: string): Promise<boolean> {
    return Promise.resolve(this.#totp.delete(userId))
  }

  replaceRecoveryCodes(userId: string, codeHashes: readonly string[], _now: number): Promise<void> {
    if (codeHashes.length === 0) this.#recovery.delete(userId)
    else this.#recovery.set(userId, new Set(codeHashes))
    return Promise.resolve()
  }

  consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    return Promise.resolve(this.#recovery.get(userId)?.delete(codeHash) === true)
  }

  countRecoveryCodes(userId: string): Promise<number> {
    return Promise.resolve(this.#recovery.get(userId)?.size ?? 0)
  }

  savePasskey(record: PasskeyRecord): Promise<boolean> {
    if (this.#passkeys.has(record.id)) return Promise.resolve(false)
    this.#passkeys.set(record.id, clone(record))
    return Promise.resolve(true)
  }

  getPasskey(credentialId: string): Promise<PasskeyRecord | null> {
    const record = this.#passkeys.get(credentialId)
    return Promise.resolve(record ? clone(record) : null)
  }

  listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const mine = [...this.#passkeys.values()].filter((record) => record.userId === userId)
    return Promise.resolve(mine.sort((a, b) => a.createdAt - b.createdAt).map(clone))
  }

  updatePasskeyUse(userId: string, credentialId: string, expectedCounter: number, use: PasskeyUse): Promise<boolean> {
    const record = this.#passkeys.get(credentialId)
    if (!record || record.userId !== userId || record.counter !== expectedCounter) return Promise.resolve(false)
    this.#passkeys.set(credentialId, { ...record, counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.lastUsedAt })
    return Promise.resolve(true)
  }

  renamePasskey(userId: string, credentialId: string, name: string): Promise<boolean> {
    const record = this.#passkeys.get(credentialId)
    if (!record || record.userId !== userId) return Promise.resolve(false)
    this.#passkeys.set(credentialId, { ...record, name })
    return Promise.resolve(true)
  }

  deletePasskey(userId: string, credentialId: string): Promise<boolean> {
    if (this.#passkeys.get(credentialId)?.userId !== userId) return Promise.resolve(false)
    return Promise.resolve(this.#passkeys.delete(credentialId))
  }

  savePending(record: PendingMfaRecord, now: number): Promise<void> {
    this.#sweep(now)
    this.#pending.set(record.id, clone(record))
    return Promise.resolve()
  }

  getPending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const record = this.#live(id, now)
    return Promise.resolve(record ? clone(record) : null)
  }

  addPendingAttempt(id: string, now: number): Promise<number | null> {
    const record = this.#live(id, now)
    if (!record) return Promise.resolve(null)
    record.attempts += 1
    return Promise.resolve(record.attempts)
  }

  consumePending(id: string, now: number): Promise<PendingMfaRecord | null> {
    const record = this.#live(id, now)
    this.#pending.delete(id)
    return Promise.resolve(record ?? null)
  }

  #live(id: string, now: number): PendingMfaRecord | undefined {
    const record = this.#pending.get(id)
    if (record && now >= record.expiresAt) {
      this.#pending.delete(id)
      return undefined
    }
    return record
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return
    this.#lastSweep = now
    for (const [id, record] of this.#pending) if (now >= record.expiresAt) this.#pending.delete(id)
  }
}
