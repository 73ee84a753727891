import {
  createOneTimeTokens,
  createPasswordPolicy,
  createRequestLimiter,
  defaultMailTemplates,
  MemoryOneTimeTokenStore,
  systemClock,
  type Clock,
  type Mailer,
  type MailTemplates,
  type OneTimeTokens,
  type OneTimeTokenStore,
  type PasswordPolicy,
  type RateLimitStore,
  type RequestLimiter,
} from '@acme/auth-core'
import * as v from 'valibot'
import type { AccountLinks, AuthAccountsOptions, AuthLimitsOptions, RouteLimitOptions } from '../config/auth-options.js'

/** The validated account settings. Internal. */
export interface AccountsConfig {
  mailer: Mailer | undefined
  links: AccountLinks | undefined
  verification: 'required' | 'off'
  tokens: OneTimeTokens
  /** Where `tokens` live: codes are saved in it directly (one id per address and purpose). */
  tokenStore: OneTimeTokenStore
  /** What the mails carry: a link, or a 6-digit code. */
  format: 'link' | 'code'
  /** Code attempts per IP, and wrong codes per address (the one that reaches the limit burns the code). Always on. */
  codeLimiters: { perAddress: RequestLimiter; perIp: RequestLimiter; windowSeconds: number }
  verificationTtlSeconds: number
  resetTtlSeconds: number
  policy: PasswordPolicy
  templates: MailTemplates
  appName: string | undefined
  freshSignInMs: number
  clock: Clock
  /** Per-IP limits (keys `<route>|<ip>`), or none. */
  ipLimiter: RequestLimiter | undefined
  /** Per-address limits (keys `<route>|a:<keyed hash>`), or none. */
  addressLimiter: RequestLimiter | undefined
}

export const defaultAccountIpLimit = { maxRequests: 30, windowSeconds: 600, blockSeconds: 600 }
export const defaultAccountAddressLimit = { maxRequests: 5, windowSeconds: 3600, blockSeconds: 3600 }

const fn = v.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function')
const withMethods = (...methods: string[]) =>
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    `must be an object with ${methods.join(', ')}`,
  )
const ttl = v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(7 * 86_400)))
const count = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000)))
const limit = v.union([v.literal(false), v.object({ maxRequests: count, windowSeconds: count, blockSeconds: count })], 'must be false or a route limit')

/** The `accounts` option's schema (part of createAuth's one schema). */
export const accountsSchema = v.optional(
  v.strictObject({
    mailer: v.optional(withMethods('send')),
    links: v.optional(v.strictObject({ verify: fn, reset: fn, changeEmail: v.optional(fn) })),
    verification: v.optional(v.picklist(['required', 'off'])),
    tokens: v.optional(
      v.strictObject({
        store: v.optional(withMethods('save', 'consumeOne')),
        verificationTtlSeconds: ttl,
        resetTtlSeconds: ttl,
        clock: v.optional(withMethods('now')),
        format: v.optional(v.picklist(['link', 'code'])),
        codeAttempts: v.optional(
          v.strictObject({ perAddress: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(1000))), perIp: count, windowSeconds: count }),
        ),
      }),
    ),
    passwordPolicy: v.optional(withMethods('check', 'assert')),
    mail: v.optional(
      v.strictObject({
        templates: v.optional(
          v.strictObject({
            verification: v.optional(fn),
            alreadyRegistered: v.optional(fn),
            reset: v.optional(fn),
            passwordChanged: v.optional(fn),
            emailChangeNotice: v.optional(fn),
            emailChange: v.optional(fn),
            emailInUse: v.optional(fn),
            verificationCode: v.optional(fn),
            alreadyRegisteredCode: v.optional(fn),
            resetCode: v.optional(fn),
            emailChangeCode: v.optional(fn),
          }),
        ),
        appName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
      }),
    ),
    freshSignInSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(86_400))),
  }),
)

/** `http.limits.accounts`'s schema. */
export const accountLimitsSchema = v.optional(
  v.union([v.literal(false), v.strictObject({ perIp: v.optional(limit), perAddress: v.optional(limit) })], 'must be false or { perIp, perAddress }'),
)

const limiterOf = (value: false | RouteLimitOptions | undefined, defaults: Required<RouteLimitOptions>, backend: { store: RateLimitStore; clock: Clock }, keyPrefix: string) =>
  value === false
    ? undefined
    : createRequestLimiter({
        maxRequests: value?.maxRequests ?? defaults.maxRequests,
        windowSeconds: value?.windowSeconds ?? defaults.windowSeconds,
        blockSeconds: value?.blockSeconds ?? value?.windowSeconds ?? defaults.blockSeconds,
        ...backend,
        keyPrefix,
      })

/**
 * Resolves `accounts` (already validated by the schema). `limits` is `http.limits` (`false`: none);
 * `backend` the store and clock the other limits count in.
 */
export function resolveAccountsConfig(
  options: AuthAccountsOptions | undefined,
  limits: false | AuthLimitsOptions | undefined,
  backend: { store: RateLimitStore; clock: Clock },
): AccountsConfig | undefined {
  if (options === undefined) return undefined
  const format = options.tokens?.format ?? 'link'
  if (options.mailer !== undefined && options.links === undefined && format === 'link') {
    throw new TypeError('createAuth: options.accounts.links is required with options.accounts.mailer (where the links in the mail point)')
  }
  const clock = options.tokens?.clock ?? systemClock
  const tokenStore = options.tokens?.store ?? new MemoryOneTimeTokenStore({ maxRecords: 100_000 })
  const attempts = options.tokens?.codeAttempts
  const codeWindow = attempts?.windowSeconds ?? 900
  const codeLimiter = (maxRequests: number, scope: string) =>
    createRequestLimiter({ maxRequests, windowSeconds: codeWindow, blockSeconds: codeWindow, ...backend, keyPrefix: `route:accounts:code:${scope}` })
  const accountLimits = limits === false ? false : limits?.accounts
  return Object.freeze({
    mailer: options.mailer,
    links: options.links,
    verification: options.verification ?? 'required',
    tokens: createOneTimeTokens({ store: tokenStore, clock }),
    tokenStore,
    format,
    codeLimiters: { perAddress: codeLimiter((attempts?.perAddress ?? 5) - 1, 'address'), perIp: codeLimiter(attempts?.perIp ?? 30, 'ip'), windowSeconds: codeWindow },
    verificationTtlSeconds: options.tokens?.verificationTtlSeconds ?? 86_400,
    resetTtlSeconds: options.tokens?.resetTtlSeconds ?? 1800,
    policy: options.passwordPolicy ?? createPasswordPolicy(),
    templates: { ...defaultMailTemplates, ...options.mail?.templates },
    appName: options.mail?.appName,
    freshSignInMs: (options.freshSignInSeconds ?? 300) * 1000,
    clock,
    ipLimiter: accountLimits === false ? undefined : limiterOf(accountLimits?.perIp, defaultAccountIpLimit, backend, 'route:accounts:ip'),
    addressLimiter: accountLimits === false ? undefined : limiterOf(accountLimits?.perAddress, defaultAccountAddressLimit, backend, 'route:accounts:address'),
  })
}
