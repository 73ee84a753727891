import { createAuditEmitter } from '../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { checkUserId } from '../lib/check-user-id.js'
import { randomToken, sha256 } from '../lib/crypto.js'
import { decodeBase64Url } from '../lib/encoding.js'
import { requireMethods, requireObject } from '../lib/options.js'
import { guardStore } from '../lib/store-guard.js'
import type { RequestContext } from '../sessions/session-manager.js'
import { amrOf, firstFactorLevel, secondFactorAmr, type AuthMethodReference, type FirstFactor } from './auth-methods.js'
import type { FactorFailureReason, SecondFactorMethod } from './factor-check.js'
import type { RecoveryCodes } from './recovery-codes.js'
import type { CompletedFactor, PendingMfaRecord, SecondFactorStore } from './second-factor-store.js'
import type { Totp } from './totp.js'
import type { TrustedDevices } from './trusted-devices.js'

/** How long a pending sign-in waits for its second factor (the `__Host-mfa` cookie's Max-Age). */
export const MFA_PENDING_TTL_SECONDS = 300
/** Wrong answers a pending sign-in takes before it is burnt (the per-user limiter counts too). */
export const MFA_PENDING_MAX_ATTEMPTS = 5

/** What {@link MfaGateOptions.shouldChallenge} is told about a sign-in. */
export interface MfaChallengeContext extends RequestContext {
  userId: string
  firstFactor: FirstFactor
  /** The second factors the user has, that could be asked for. */
  methods: SecondFactorMethod[]
  /**
   * Whether the sign-in came with a device cookie naming a live trusted device of THIS user
   * ("remember this device"); always `false` without `trustedDevices`.
   */
  trustedDevice: boolean
}

/** Options of {@link createMfaGate}. */
export interface MfaGateOptions {
  store: SecondFactorStore
  /** The TOTP factor, when the app offers it. */
  totp?: Totp
  /** Recovery codes, when the app offers them. */
  recoveryCodes?: RecoveryCodes
  /** @default systemClock */
  clock?: Clock
  /** @default noopAuditSink */
  audit?: AuditSink
  /** Remembered devices ({@link createTrustedDevices}): the device cookie a sign-in passes is checked for `trustedDevice`. */
  trustedDevices?: TrustedDevices
  /**
   * Risk-based prompting: asked only for users with a second factor; `false` skips the challenge
   * for this sign-in. A hook that throws is taken as `true`. A hook replaces the default, so one
   * that should honour remembered devices reads `context.trustedDevice`.
   * @default ({ trustedDevice }) => !trustedDevice (challenge unless the device is remembered)
   */
  shouldChallenge?: (context: MfaChallengeContext) => boolean | Promise<boolean>
}

/** What a session created after the gate records: `authLevel`, RFC 8176 `amr`, and the factors with their times. */
export interface MfaSessionMeta {
  authLevel: string
  amr: AuthMethodReference[]
  factors: CompletedFactor[]
}

/** The gate's answer for a proven first factor. */
export type MfaGateDecision =
  /** No second factor is due: create the session with `session` (spread it into `sessions.create`). */
  | { status: 'complete'; userId: string; session: MfaSessionMeta; device?: DeviceCookieVerdict }
  /** A second factor is due: create NO session; set `pendingToken` as the `__Host-mfa` cookie and answer `methods`. */
  | { status: 'mfa_required'; userId: string; pendingToken: string; methods: SecondFactorMethod[]; expiresAt: number; device?: DeviceCookieVerdict }

/**
 * What became of a device cookie passed to {@link MfaGate.afterFirstFactor} (absent when none was
 * passed or nothing needed it): `rejected` means it names no live device of this user: clear it.
 */
export type DeviceCookieVerdict = 'trusted' | 'rejected'

/** Why completing a pending sign-in failed: a code's reason, or the pending state itself. */
export type MfaVerifyFailureReason = FactorFailureReason | 'expired' | 'too_many_attempts' | 'method_not_allowed'

/** The answer of {@link MfaGate.verify}. */
export type MfaVerification =
  | { ok: true; userId: string; session: MfaSessionMeta }
  | { ok: false; reason: MfaVerifyFailureReason; retryAfterSeconds?: number }

/** The one gate between a first factor and a session. */
export interface MfaGate {
  /**
   * Every sign-in path calls this after proving a first factor, and creates a session only on
   * `status: 'complete'`. Users with a TOTP factor or a passkey get a pending sign-in instead.
   */
  afterFirstFactor(userId: string, firstFactor: FirstFactor, context?: RequestContext, device?: { cookie?: unknown }): Promise<MfaGateDecision>
  /** Completes a pending sign-in with a TOTP or recovery code; single use on success, burnt after too many wrong answers. */
  verify(pendingToken: unknown, answer: { method: 'totp' | 'recovery'; code: unknown }, context?: RequestContext): Promise<MfaVerification>
  /**
   * Completes a pending sign-in with a passkey whose assertion the caller has verified:
   * `credentialUserId` is the credential's owner, which must be the pending sign-in's user.
   */
  completeWithPasskey(pendingToken: unknown, credentialUserId: string, context?: RequestContext): Promise<MfaVerification>
  /** The pending sign-in behind a token (whose user, which methods), or `null`. */
  pending(pendingToken: unknown): Promise<{ userId: string; methods: SecondFactorMethod[]; expiresAt: number } | null>
}

const tokenPattern = /^[A-Za-z0-9_-]{43}$/

/**
 * The one gate: given a user who proved a first factor (password, OAuth/OIDC, an email sign-in
 * link, a passkey without user verification), it decides whether a second factor is due (factors
 * enrolled, then the optional `shouldChallenge` hook) and answers either "a session may be
 * created" with the session's `authLevel`/`amr`, or a pending sign-in: a 256-bit token for the
 * `__Host-mfa` cookie whose SHA-256 keys a server-side record (user, completed factors with
 * times, attempts, 5 minutes). A passkey with user verification is two factors and passes.
 *
 * @example
 * ```ts
 * const decision = await gate.afterFirstFactor(user.id, { method: 'password' })
 * if (decision.status === 'complete') await sessions.create(user.id, decision.session)
 * else setCookie('__Host-mfa', decision.pendingToken) // and answer { mfaRequired: true, methods }
 * // later, POST /auth/mfa/verify:
 * const result = await gate.verify(cookie, { method: 'totp', code })
 * if (result.ok) await sessions.create(result.userId, result.session)
 * ```
 */
export function createMfaGate(options: MfaGateOptions): MfaGate {
  const input = requireObject(options, 'options')
  const methods = ['getTotp', 'countRecoveryCodes', 'listPasskeys', 'savePending', 'getPending', 'addPendingAttempt', 'consumePending']
  const store = guardStore(requireMethods<SecondFactorStore>(input.store, 'options.store', methods), 'second-factor store')
  const totp = input.totp === undefined ? undefined : requireMethods<Totp>(input.totp, 'options.totp', ['verify'])
  const recoveryCodes = input.recoveryCodes === undefined ? undefined : requireMethods<RecoveryCodes>(input.recoveryCodes, 'options.recoveryCodes', ['consume'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const audit = input.audit === undefined ? noopAuditSink : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  if (input.shouldChallenge !== undefined && typeof input.shouldChallenge !== 'function') throw new TypeError('options.shouldChallenge must be a function')
  const shouldChallenge = input.shouldChallenge as MfaGateOptions['shouldChallenge']
  const trustedDevices = input.trustedDevices === undefined ? undefined : requireMethods<TrustedDevices>(input.trustedDevices, 'options.trustedDevices', ['check'])
  const emit = createAuditEmitter(audit, clock)

  /** The second factors that can answer a challenge after this first factor. */
  const enrolledMethods = async (userId: string, firstFactor: FirstFactor): Promise<SecondFactorMethod[]> => {
    const [totpRecord, passkeys, codes] = await Promise.all([
      totp ? store.getTotp(userId) : null,
      store.listPasskeys(userId),
      recoveryCodes ? store.countRecoveryCodes(userId) : 0,
    ])
    const found: SecondFactorMethod[] = []
    if (totpRecord?.status === 'active') found.push('totp')
    // A passkey without user verification was the first factor: it cannot be the second as well.
    if (passkeys.length > 0 && firstFactor.method !== 'passkey') found.push('passkey')
    // Recovery codes are offered with a factor, never due by themselves (TOTP removed, codes kept).
    if (found.length > 0 && codes > 0) found.push('recovery')
    return found
  }

  const challenge = async (context: MfaChallengeContext): Promise<boolean> => {
    if (!shouldChallenge) return !context.trustedDevice
    try {
      return (await shouldChallenge(context)) !== false
    } catch {
      return true // fail closed
    }
  }

  const idOf = async (token: unknown): Promise<string | null> =>
    typeof token === 'string' && tokenPattern.test(token) && decodeBase64Url(token)?.length === 32 ? sha256(`acme-auth/mfa-pending:${token}`) : null

  const failed = (userId: string | undefined, reason: MfaVerifyFailureReason, context?: RequestContext, extra: { retryAfterSeconds?: number } = {}): MfaVerification => {
    if (reason === 'expired' || reason === 'too_many_attempts' || reason === 'method_not_allowed') {
      emit({ type: 'MFA_FAILED', outcome: 'failure', reason, ...(userId === undefined ? {} : { userId }) }, context)
    }
    return { ok: false, reason, ...extra }
  }

  const complete = async (id: string, record: PendingMfaRecord, method: SecondFactorMethod, context?: RequestContext): Promise<MfaVerification> => {
    const now = clock.now()
    // Single use: of concurrent right answers, one session.
    const consumed = await store.consumePending(id, now)
    if (!consumed) return failed(record.userId, 'expired', context)
    const factors = [...consumed.completed, { method: secondFactorAmr[method], at: now }]
    return { ok: true, userId: consumed.userId, session: { authLevel: 'mfa', amr: amrOf(factors), factors } }
  }

  return Object.freeze({
    async afterFirstFactor(userId: string, firstFactor: FirstFactor, context: RequestContext = {}, device: { cookie?: unknown } = {}): Promise<MfaGateDecision> {
      checkUserId(userId)
      const level = firstFactorLevel(checkFirstFactor(firstFactor))
      const now = clock.now()
      const completed = level.amr.filter((method) => method !== 'mfa' && method !== 'user').map((method) => ({ method, at: now }))
      const single: MfaGateDecision = { status: 'complete', userId, session: { authLevel: level.authLevel, amr: level.amr, factors: completed } }
      if (level.authLevel === 'mfa') return single
      const methods = await enrolledMethods(userId, firstFactor)
      if (methods.length === 0) return single
      const cookie = device.cookie
      const verdict: DeviceCookieVerdict | undefined =
        trustedDevices && cookie !== undefined ? ((await trustedDevices.check(userId, cookie)) ? 'trusted' : 'rejected') : undefined
      const { requestId, ip, userAgent } = context
      const hookContext: MfaChallengeContext = {
        userId,
        firstFactor,
        methods,
        trustedDevice: verdict === 'trusted',
        ...(requestId ? { requestId } : {}),
        ...(ip ? { ip } : {}),
        ...(userAgent ? { userAgent } : {}),
      }
      const withVerdict = verdict === undefined ? {} : { device: verdict }
      // A remembered device is not a factor: the session gets the first factor's level only.
      if (!(await challenge(hookContext))) return { ...single, ...withVerdict }
      const pendingToken = randomToken(32)
      const expiresAt = now + MFA_PENDING_TTL_SECONDS * 1000
      const id = (await idOf(pendingToken))!
      await store.savePending({ id, userId, completed, methods, authLevel: level.authLevel, attempts: 0, createdAt: now, expiresAt }, now)
      emit({ type: 'MFA_CHALLENGED', outcome: 'success', userId, data: { methods: methods.join(' ') } }, context)
      return { status: 'mfa_required', userId, pendingToken, methods, expiresAt, ...withVerdict }
    },

    async verify(pendingToken: unknown, answer: { method: 'totp' | 'recovery'; code: unknown }, context?: RequestContext): Promise<MfaVerification> {
      const id = await idOf(pendingToken)
      const record = id === null ? null : await store.getPending(id, clock.now())
      if (!id || !record) return failed(undefined, 'expired', context)
      // Untrusted input: anything but a known method is refused as a value, never thrown.
      const method = typeof answer === 'object' && answer !== null ? (answer as { method?: unknown }).method : undefined
      const factor = method === 'totp' ? totp : method === 'recovery' ? recoveryCodes : undefined
      if (!factor || !record.methods.includes(method as SecondFactorMethod)) return failed(record.userId, 'method_not_allowed', context)
      const result = method === 'totp' ? await totp!.verify(record.userId, answer.code, context) : await recoveryCodes!.consume(record.userId, answer.code, context)
      if (result.ok) return complete(id, record, method as SecondFactorMethod, context)
      const attempts = await store.addPendingAttempt(id, clock.now())
      if (attempts === null) return failed(record.userId, 'expired', context)
      if (attempts >= MFA_PENDING_MAX_ATTEMPTS) {
        // Burnt: the next try needs the first factor again.
        await store.consumePending(id, clock.now())
        return failed(record.userId, 'too_many_attempts', context)
      }
      return { ok: false, reason: result.reason, ...(result.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: result.retryAfterSeconds }) }
    },

    async completeWithPasskey(pendingToken: unknown, credentialUserId: string, context?: RequestContext): Promise<MfaVerification> {
      const id = await idOf(pendingToken)
      const record = id === null ? null : await store.getPending(id, clock.now())
      if (!id || !record) return failed(undefined, 'expired', context)
      if (!record.methods.includes('passkey')) return failed(record.userId, 'method_not_allowed', context)
      // Someone else's passkey proves nothing about this user.
      if (credentialUserId !== record.userId) return failed(record.userId, 'method_not_allowed', context)
      emit({ type: 'MFA_VERIFIED', outcome: 'success', userId: record.userId, data: { method: 'passkey' } }, context)
      return complete(id, record, 'passkey', context)
    },

    async pending(pendingToken: unknown) {
      const id = await idOf(pendingToken)
      const record = id === null ? null : await store.getPending(id, clock.now())
      return record ? { userId: record.userId, methods: record.methods as SecondFactorMethod[], expiresAt: record.expiresAt } : null
    },
  })
}

function checkFirstFactor(value: unknown): FirstFactor {
  const factor = requireObject(value, 'firstFactor') as Partial<FirstFactor> & Record<string, unknown>
  switch (factor.method) {
    case 'password':
    case 'email_link':
      return { method: factor.method }
    case 'oauth':
      if (typeof factor.provider !== 'string' || factor.provider === '') throw new TypeError('firstFactor.provider must be a non-empty string')
      return { method: 'oauth', provider: factor.provider }
    case 'passkey':
      if (typeof factor.userVerified !== 'boolean') throw new TypeError('firstFactor.userVerified must be a boolean')
      return { method: 'passkey', userVerified: factor.userVerified }
    default:
      throw new TypeError("firstFactor.method must be 'password', 'oauth', 'email_link' or 'passkey'")
  }
}
