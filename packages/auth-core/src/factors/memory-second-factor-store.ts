import type {
  PasskeyRecord,
  PasskeyUse,
  PendingMfaRecord,
  SecondFactorStore,
  TotpFactorRecord,
  TrustedDeviceRecord,
} from './second-factor-store.js'

import { timingSafeEqual } from '../lib/crypto.js'

const clone = <T>(value: T): T => structuredClone(value)

/**
 * The embedded {@link SecondFactorStore}: one process. Every operation checks and writes with no
 * `await` in between, so each is atomic; expired pending sign-ins are swept at most once a minute
 * (by the `now` callers pass), a user's expired trusted devices whenever one of theirs is saved.
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
  readonly #devices = new Map<string, Map<string, TrustedDeviceRecord>>()
  #lastSweep = Number.NEGATIVE_INFINITY

  /** Everything held (sealed secrets and hashes only), for tests. */
  snapshot(): unknown {
    return {
      totp: [...this.#totp.values()],
      recovery: [...this.#recovery].map(([userId, hashes]) => ({ userId, hashes: [...hashes] })),
      passkeys: [...this.#passkeys.values()],
      pending: [...this.#pending.values()],
      devices: [...this.#devices.values()].flatMap((mine) => [...mine.values()]),
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

  saveTrustedDevice(record: TrustedDeviceRecord, now: number): Promise<void> {
    const mine = this.#devices.get(record.userId) ?? new Map<string, TrustedDeviceRecord>()
    for (const [id, device] of mine) if (now >= device.expiresAt) mine.delete(id)
    mine.set(record.id, clone(record))
    this.#devices.set(record.userId, mine)
    return Promise.resolve()
  }

  getTrustedDevice(userId: string, id: string, now: number): Promise<TrustedDeviceRecord | null> {
    const device = this.#device(userId, id, now)
    return Promise.resolve(device ? clone(device) : null)
  }

  touchTrustedDevice(userId: string, id: string, now: number): Promise<boolean> {
    const device = this.#device(userId, id, now)
    if (device) device.lastUsedAt = now
    return Promise.resolve(device !== undefined)
  }

  listTrustedDevices(userId: string, now: number): Promise<TrustedDeviceRecord[]> {
    const live = [...(this.#devices.get(userId)?.values() ?? [])].filter((device) => now < device.expiresAt)
    return Promise.resolve(live.sort((a, b) => a.createdAt - b.createdAt).map(clone))
  }

  deleteTrustedDevice(userId: string, id: string): Promise<boolean> {
    return Promise.resolve(this.#devices.get(userId)?.delete(id) === true)
  }

  deleteTrustedDevices(userId: string): Promise<number> {
    const count = this.#devices.get(userId)?.size ?? 0
    this.#devices.delete(userId)
    return Promise.resolve(count)
  }

  #device(userId: string, id: string, now: number): TrustedDeviceRecord | undefined {
    const device = this.#devices.get(userId)?.get(id)
    return device && now < device.expiresAt ? device : undefined
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
