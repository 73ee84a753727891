import { createAuditEmitter } from '../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { checkUserId } from '../lib/check-user-id.js'
import { randomToken, sha256, timingSafeEqual } from '../lib/crypto.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import { guardStore } from '../lib/store-guard.js'
import type { RequestContext } from '../sessions/session-manager.js'
import { deviceLabel } from './lib/device-label.js'
import type { SecondFactorStore, TrustedDeviceRecord } from './second-factor-store.js'

/** How long a remembered device skips the challenge, unless `days` says otherwise. */
export const TRUSTED_DEVICE_DEFAULT_DAYS = 30

/** Options of {@link createTrustedDevices}. */
export interface TrustedDevicesOptions {
  store: SecondFactorStore
  /** How long a device stays trusted after the second factor that trusted it (1–365). @default 30 */
  days?: number
  /** @default systemClock */
  clock?: Clock
  /** @default noopAuditSink */
  audit?: AuditSink
}

/** A trusted device as a devices page shows it: no secret, no hash. Times are epoch ms. */
export interface TrustedDevice {
  id: string
  label: string
  createdAt: number
  expiresAt: number
  lastUsedAt: number | null
}

/** Why trusted devices were forgotten (the audit event's `reason`). */
export type TrustedDeviceForgetReason = 'user' | 'logout_all' | 'password_reset' | 'password_change' | 'factor_removed' | 'account_gone'

/** "Remember this device": the records behind the device cookie. */
export interface TrustedDevices {
  /** The cookie's lifetime: `days` in seconds. */
  readonly maxAgeSeconds: number
  /** After a second factor: a new trusted device of the user, and the cookie value that names it (set it; it is shown once). */
  trust(userId: string, context?: RequestContext): Promise<{ cookie: string; device: TrustedDevice }>
  /**
   * Whether `cookie` names a live trusted device of THIS user (its secret compared in constant
   * time); its `lastUsedAt` moves. Anything else (malformed, forged, expired, forgotten, another
   * user's) is `false`.
   */
  check(userId: string, cookie: unknown): Promise<boolean>
  /** The user's live trusted devices, oldest first. */
  list(userId: string): Promise<TrustedDevice[]>
  /** Forgets one of the user's devices; `false` for an id that is not theirs. */
  forget(userId: string, id: string, context?: RequestContext): Promise<boolean>
  /** Forgets every device of the user; how many there were. */
  forgetAll(userId: string, reason: TrustedDeviceForgetReason, context?: RequestContext): Promise<number>
}

const cookiePattern = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/
const idPattern = /^[A-Za-z0-9_-]{22}$/
const dayMs = 86_400_000

const secretHashOf = (secret: string) => sha256(`acme-auth/trusted-device:${secret}`)
const publicView = (record: TrustedDeviceRecord): TrustedDevice => ({
  id: record.id,
  label: record.label,
  createdAt: record.createdAt,
  expiresAt: record.expiresAt,
  lastUsedAt: record.lastUsedAt,
})

/**
 * Remembered devices: after a second factor, the user may ask the server to skip the challenge
 * on this browser for `days`. The cookie is `<id>.<secret>`, 128 random bits naming a record and
 * 256 random bits whose SHA-256 only is stored, bound to the user; every check loads the record
 * by (user, id), so a cookie never counts for another user, and forgetting the record ends it on
 * the spot. A trusted device is NOT a factor: a session it lets through carries the first
 * factor's `authLevel` and `amr` only, and step-up still asks.
 *
 * @example
 * ```ts
 * const devices = createTrustedDevices({ store, days: 30 })
 * const gate = createMfaGate({ store, totp, trustedDevices: devices })
 * // after POST /mfa/verify { rememberDevice: true } succeeded:
 * const { cookie } = await devices.trust(userId)
 * setCookie('__Host-device', cookie, { maxAge: devices.maxAgeSeconds })
 * ```
 */
export function createTrustedDevices(options: TrustedDevicesOptions): TrustedDevices {
  const input = requireObject(options, 'options')
  const methods = ['saveTrustedDevice', 'getTrustedDevice', 'touchTrustedDevice', 'listTrustedDevices', 'deleteTrustedDevice', 'deleteTrustedDevices']
  const store = guardStore(requireMethods<SecondFactorStore>(input.store, 'options.store', methods), 'second-factor store')
  const days = optionalNumber(input.days, 'options.days', TRUSTED_DEVICE_DEFAULT_DAYS, { min: 1, max: 365, integer: true })
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const audit = input.audit === undefined ? noopAuditSink : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const emit = createAuditEmitter(audit, clock)

  return Object.freeze({
    maxAgeSeconds: days * 86_400,

    async trust(userId: string, context?: RequestContext) {
      checkUserId(userId)
      const now = clock.now()
      const id = randomToken(16)
      const secret = randomToken(32)
      const record: TrustedDeviceRecord = { id, userId, secretHash: await secretHashOf(secret), label: deviceLabel(context?.userAgent), createdAt: now, expiresAt: now + days * dayMs, lastUsedAt: null }
      await store.saveTrustedDevice(record, now)
      emit({ type: 'MFA_DEVICE_TRUSTED', outcome: 'success', userId, data: { deviceId: id, days } }, context)
      return { cookie: `${id}.${secret}`, device: publicView(record) }
    },

    async check(userId: string, cookie: unknown) {
      const match = typeof cookie === 'string' ? cookiePattern.exec(cookie) : null
      if (!match) return false
      const [, id, secret] = match as unknown as [string, string, string]
      const now = clock.now()
      const record = await store.getTrustedDevice(userId, id, now)
      // The record's owner is checked too: a store bug must not hand one user's device to another.
      if (!record || record.userId !== userId || !timingSafeEqual(record.secretHash, await secretHashOf(secret))) return false
      return store.touchTrustedDevice(userId, id, now)
    },

    async list(userId: string) {
      return (await store.listTrustedDevices(userId, clock.now())).map(publicView)
    },

    async forget(userId: string, id: string, context?: RequestContext) {
      if (typeof id !== 'string' || !idPattern.test(id)) return false
      const forgotten = await store.deleteTrustedDevice(userId, id)
      if (forgotten) emit({ type: 'MFA_DEVICE_FORGOTTEN', outcome: 'success', userId, reason: 'user', data: { deviceId: id, count: 1 } }, context)
      return forgotten
    },

    async forgetAll(userId: string, reason: TrustedDeviceForgetReason, context?: RequestContext) {
      const count = await store.deleteTrustedDevices(userId)
      if (count > 0) emit({ type: 'MFA_DEVICE_FORGOTTEN', outcome: 'success', userId, reason, data: { count } }, context)
      return count
    },
  })
}
