import {
  createFactorLimiter,
  createRequestLimiter,
  createMfaGate,
  createRecoveryCodes,
  createTotp,
  createTrustedDevices,
  systemClock,
  type AuditSink,
  type Clock,
  type MfaGate,
  type RateLimitStore,
  type RecoveryCodes,
  type RequestLimiter,
  type SecondFactorStore,
  type Totp,
  type TrustedDevices,
} from '@acme/auth-core'
import * as v from 'valibot'
import type { AuthSecondFactorOptions } from './auth-options.js'

/** The second factors of a server: core's gate, TOTP and recovery codes over one store and limiter. */
export interface SecondFactors {
  store: SecondFactorStore
  gate: MfaGate
  totp: Totp | undefined
  recoveryCodes: RecoveryCodes
  /** Remembered devices (`rememberDevice`); `undefined` when off. */
  trustedDevices: TrustedDevices | undefined
  clock: Clock
  freshSessionSeconds: number
  challengePage: string
  /** Per-IP limits of `POST /mfa/verify` and the passkey sign-in routes (each route counted on its own); `undefined` when off. */
  ipLimiter: RequestLimiter | undefined
}

/** The per-IP budget of each second-factor sign-in route, unless `limits.perIp` says otherwise. */
export const defaultFactorIpLimit = { maxRequests: 30, windowSeconds: 300, blockSeconds: 300 }

const withMethods = (...methods: string[]) =>
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    `must be an object with ${methods.join(', ')}`,
  )
const seconds = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(86_400)))
const sealingSecret = v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))

/** `options.secondFactors` as valibot checks it (the factors' own checks run when they are built). */
export const secondFactorsSchema = v.object({
  store: withMethods('getTotp', 'savePendingTotp', 'claimTotpStep', 'consumeRecoveryCode', 'listPasskeys', 'savePending', 'consumePending'),
  totp: v.optional(
    v.union(
      [
        v.literal(false),
        v.strictObject({
          issuer: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.check((value) => !value.includes(':'), 'must not contain ":"'))),
          secret: v.optional(v.union([sealingSecret, v.pipe(v.array(sealingSecret), v.minLength(1))])),
        }),
      ],
      'must be false or { issuer?, secret? }',
    ),
  ),
  shouldChallenge: v.optional(v.function()),
  rememberDevice: v.optional(v.strictObject({ days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365))) })),
  limits: v.optional(
    v.strictObject({
      maxAttempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
      windowSeconds: seconds,
      perIp: v.optional(v.union([v.literal(false), v.strictObject({ maxRequests: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000))), windowSeconds: seconds, blockSeconds: seconds })])),
    }),
  ),
  freshSessionSeconds: seconds,
  challengePage: v.optional(v.pipe(v.string(), v.regex(/^\/(?!\/)[^\s\\]*$/, "must be a same-origin path like '/mfa'"))),
  clock: v.optional(withMethods('now')),
})

/**
 * Builds core's factors for `createAuth`: one factor limiter for TOTP and recovery codes (wrong
 * codes share a budget per user) on the limits' store, and the gate over both.
 */
export function resolveSecondFactors(
  options: AuthSecondFactorOptions,
  shared: { secret: string; origin: string; audit: AuditSink; limitStore: RateLimitStore | undefined },
): SecondFactors {
  const clock = options.clock ?? systemClock
  const { store } = options
  const { perIp, ...perUser } = options.limits ?? {}
  const limiter = createFactorLimiter({ clock, store: shared.limitStore ?? 'memory', ...perUser })
  const ipLimiter =
    perIp === false
      ? undefined
      : createRequestLimiter({
          maxRequests: perIp?.maxRequests ?? defaultFactorIpLimit.maxRequests,
          windowSeconds: perIp?.windowSeconds ?? defaultFactorIpLimit.windowSeconds,
          blockSeconds: perIp?.blockSeconds ?? perIp?.windowSeconds ?? defaultFactorIpLimit.blockSeconds,
          store: shared.limitStore ?? 'memory',
          clock,
          keyPrefix: 'route:mfa',
        })
  const totpOptions = options.totp === false ? undefined : (options.totp ?? {})
  const totp = totpOptions
    ? createTotp({ store, clock, limiter, audit: shared.audit, secret: totpOptions.secret ?? shared.secret, issuer: totpOptions.issuer ?? new URL(shared.origin).host.replaceAll(':', ' ') })
    : undefined
  const recoveryCodes = createRecoveryCodes({ store, clock, limiter, audit: shared.audit })
  const remember = options.rememberDevice
  const trustedDevices = remember ? createTrustedDevices({ store, clock, audit: shared.audit, ...(remember.days === undefined ? {} : { days: remember.days }) }) : undefined
  const gate = createMfaGate({
    store,
    ...(totp ? { totp } : {}),
    recoveryCodes,
    clock,
    audit: shared.audit,
    ...(trustedDevices ? { trustedDevices } : {}),
    ...(options.shouldChallenge ? { shouldChallenge: options.shouldChallenge } : {}),
  })
  return Object.freeze({
    store,
    gate,
    totp,
    recoveryCodes,
    trustedDevices,
    clock,
    freshSessionSeconds: options.freshSessionSeconds ?? 600,
    challengePage: options.challengePage ?? '/mfa',
    ipLimiter,
  })
}
