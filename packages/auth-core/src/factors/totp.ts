import { Secret, TOTP } from 'otpauth'
import type { AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { createSecretEnvelope, resolveSecrets } from '../keys/secret-envelope.js'
import { requireMethods, requireObject } from '../lib/options.js'
import { checkUserId } from '../lib/check-user-id.js'
import { guardStore } from '../lib/store-guard.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { FactorCheck } from './factor-check.js'
import { createFactorLimiter, type FactorLimiter } from './factor-limiter.js'
import { createFactorEvents } from './lib/factor-events.js'
import { qrSvg } from './lib/qr-svg.js'
import type { SecondFactorStore, TotpFactorRecord } from './second-factor-store.js'

/** RFC 6238 parameters every authenticator app understands: SHA-1, 6 digits, 30 s. */
export const TOTP_PERIOD_SECONDS = 30
const DIGITS = 6
/** ±1 step: a code from the previous or the next 30 s still counts (clock drift, typing time). */
const WINDOW = 1
/** 160-bit secrets, the HMAC-SHA-1 key length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20

/** Options of {@link createTotp}. */
export interface TotpOptions {
  store: SecondFactorStore
  /**
   * The key-encryption secret(s) that seal TOTP secrets at rest (at least 32 characters each), as
   * for the key ring: with a list, the first seals and every one opens, so it can rotate.
   */
  secret: string | readonly string[]
  /** Shown in authenticator apps next to the account ("Acme"). */
  issuer: string
  /** @default systemClock */
  clock?: Clock
  /** Wrong codes per user. Share one with `createRecoveryCodes`. @default createFactorLimiter() (memory: 5 per 15 min) */
  limiter?: FactorLimiter
  /** @default noopAuditSink */
  audit?: AuditSink
  /** @default createAuthMetrics() (the global meter provider) */
  metrics?: AuthMetrics
}

/** A started enrollment: show `qrSvg` (or `secret` for typing in) once, then ask for a first code. */
export interface TotpEnrollment {
  /** The Base32 secret, for users who cannot scan. Never stored in clear. */
  secret: string
  /** `otpauth://totp/…`, what the QR code holds. */
  otpauthUrl: string
  /** The QR code as an SVG document. */
  qrSvg: string
}

/** TOTP second factor: enroll, confirm, verify (each code once), remove. */
export interface Totp {
  /**
   * Starts (or restarts) an enrollment: a fresh secret, sealed and stored as pending. `null` when
   * the user already has an active TOTP factor (remove it first). Ask for a fresh session first.
   */
  enroll(userId: string, accountName: string): Promise<TotpEnrollment | null>
  /** Confirms the pending enrollment with a first code; the factor is active from then on. */
  confirm(userId: string, code: unknown, context?: RequestContext): Promise<FactorCheck>
  /** Checks a code of the active factor: ±1 step, each step once (also across instances), limited per user. */
  verify(userId: string, code: unknown, context?: RequestContext): Promise<FactorCheck>
  /** Whether the user has an active TOTP factor. */
  isEnrolled(userId: string): Promise<boolean>
  /** Removes the user's TOTP factor (pending or active); whether there was one. */
  remove(userId: string, context?: RequestContext): Promise<boolean>
}

/**
 * TOTP (RFC 6238) on `otpauth`: 160-bit secrets sealed at rest in the key ring's versioned
 * envelope (`v1.<secretId>.…`, bound to the user), a QR code as SVG, ±1 step of skew by the
 * injected clock, and replay refusal through the store's used-code marker: a code (and any older
 * one) is accepted once, on every instance that shares the store. Wrong codes are limited per user.
 *
 * @example
 * ```ts
 * import { createTotp, MemorySecondFactorStore } from '@acme/auth-core'
 *
 * const totp = createTotp({ store: new MemorySecondFactorStore(), secret: process.env.AUTH_SECRET!, issuer: 'Acme' })
 * const enrollment = await totp.enroll('user-1', 'alice@example.com') // show enrollment.qrSvg
 * await totp.confirm('user-1', codeFromTheApp) // { ok: true }
 * await totp.verify('user-1', codeFromTheApp) // { ok: false, reason: 'replayed' }: once only
 * ```
 */
export function createTotp(options: TotpOptions): Totp {
  const input = requireObject(options, 'options')
  const methods = ['getTotp', 'savePendingTotp', 'activateTotp', 'claimTotpStep', 'deleteTotp']
  const store = guardStore(requireMethods<SecondFactorStore>(input.store, 'options.store', methods), 'second-factor store')
  const envelope = createSecretEnvelope(resolveSecrets(input.secret, 'options.secret'), {
    salt: 'acme-auth/second-factors',
    info: 'totp-secret/v1',
    subject: 'TOTP secret of user',
  })
  if (typeof input.issuer !== 'string' || input.issuer.trim() === '' || input.issuer.length > 64 || input.issuer.includes(':')) {
    throw new TypeError('options.issuer must be a non-empty string of at most 64 characters without ":"')
  }
  const issuer = input.issuer
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const limiter = input.limiter === undefined ? createFactorLimiter({ clock }) : requireMethods<FactorLimiter>(input.limiter, 'options.limiter', ['attempt', 'recordSuccess'])
  const events = createFactorEvents(input, clock)

  const totpOf = (secret: string, label = 'account') =>
    new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) })

  /** The time step the code belongs to (within ±1 of now), or `null`. */
  const stepOf = async (record: TotpFactorRecord, code: string, now: number): Promise<number | null> => {
    const totp = totpOf(await envelope.open(record.userId, record.sealedSecret))
    const delta = totp.validate({ token: code, timestamp: now, window: WINDOW })
    return delta === null ? null : totp.counter({ timestamp: now }) + delta
  }

  /** Limits, then the code, then `use(step)`; every outcome audited and counted. */
  const check = async (
    userId: string,
    code: unknown,
    status: TotpFactorRecord['status'],
    use: (record: TotpFactorRecord, step: number, now: number) => Promise<boolean>,
    context?: RequestContext,
  ): Promise<FactorCheck> => {
    checkUserId(userId)
    const decision = await limiter.attempt(userId)
    if (!decision.allowed) return events.checked('totp', userId, { ok: false, reason: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds }, context)
    const record = await store.getTotp(userId)
    if (record?.status !== status) return events.checked('totp', userId, { ok: false, reason: 'not_enrolled' }, context)
    const normalized = typeof code === 'string' ? code.replaceAll(/\s/g, '') : ''
    const now = clock.now()
    const step = /^\d{6}$/.test(normalized) ? await stepOf(record, normalized, now) : null
    if (step === null) return events.checked('totp', userId, { ok: false, reason: 'invalid' }, context)
    if (!(await use(record, step, now))) return events.checked('totp', userId, { ok: false, reason: 'replayed' }, context)
    await limiter.recordSuccess(userId)
    return events.checked('totp', userId, { ok: true }, context)
  }

  return Object.freeze({
    async enroll(userId: string, accountName: string) {
      checkUserId(userId)
      if (typeof accountName !== 'string' || accountName === '' || accountName.length > 256) {
        throw new TypeError('accountName must be a non-empty string of at most 256 characters')
      }
      const secret = new Secret({ size: SECRET_BYTES }).base32
      const now = clock.now()
      const record: TotpFactorRecord = {
        userId,
        sealedSecret: await envelope.seal(userId, secret),
        status: 'pending',
        createdAt: now,
        confirmedAt: null,
        lastUsedStep: null,
      }
      if (!(await store.savePendingTotp(record))) return null
      const otpauthUrl = totpOf(secret, accountName).toString()
      return { secret, otpauthUrl, qrSvg: qrSvg(otpauthUrl) }
    },

    async confirm(userId: string, code: unknown, context?: RequestContext) {
      const result = await check(userId, code, 'pending', (record, step, now) => store.activateTotp(userId, record.sealedSecret, step, now), context)
      if (result.ok) events.enrolled('totp', userId, 'enrolled', context)
      return result
    },

    verify: (userId: string, code: unknown, context?: RequestContext) =>
      check(userId, code, 'active', (_record, step) => store.claimTotpStep(userId, step), context),

    async isEnrolled(userId: string) {
      return (await store.getTotp(userId))?.status === 'active'
    },

    async remove(userId: string, context?: RequestContext) {
      checkUserId(userId)
      const removed = await store.deleteTotp(userId)
      if (removed) events.enrolled('totp', userId, 'removed', context)
      return removed
    },
  })
}
