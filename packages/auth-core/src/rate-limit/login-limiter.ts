import { systemClock, type Clock } from '../clock.js'
import { sha256 } from '../lib/crypto.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import { ClockedRateLimiter } from './clocked-rate-limiter.js'
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js'

/** Which limit refused an attempt. */
export type LoginLimit = 'account' | 'ip' | 'ip_account'

/**
 * The limiter's answer. When refused, `retryAfterSeconds` is for the `Retry-After` header and
 * `reason` is what `LOGIN_FAILED` records: `locked` for an account lock, `rate_limited` otherwise.
 */
export type LoginLimitDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; reason: 'locked' | 'rate_limited'; limit: LoginLimit }

/** Who is signing in: the account identifier (e.g. the email, as typed) and the client's IP. */
export interface LoginAttemptKey {
  account: string
  ip?: string
}

/** Per-account limits: consecutive failures get a growing delay, then a lock. */
export interface AccountLimitOptions {
  /** Attempts allowed without delay. @default 5 */
  freeAttempts?: number
  /** The first delay, doubled on each further failure. @default 1 */
  baseDelaySeconds?: number
  /** Consecutive failures that lock the account. @default 10 */
  lockAfter?: number
  /** How long a lock lasts. @default 900 (15 min) */
  lockSeconds?: number
  /** Failures older than this are forgotten. @default 86400 (1 day) */
  windowSeconds?: number
}

/** A counting limit (per IP, per IP + account): `maxAttempts` in `windowSeconds`, then a block. */
export interface CountLimitOptions {
  maxAttempts?: number
  windowSeconds?: number
  blockSeconds?: number
}

/** Options of {@link createLoginLimiter}. */
export interface LoginLimiterOptions {
  /** `'memory'` (one process) or a shared store such as `createRedisRateLimitStore()`. */
  store: 'memory' | RateLimitStore
  /** @default systemClock */
  clock?: Clock
  /** @default { freeAttempts: 5, baseDelaySeconds: 1, lockAfter: 10, lockSeconds: 900, windowSeconds: 86400 } */
  account?: AccountLimitOptions
  /** Sign-in attempts per IP, whatever the account. @default { maxAttempts: 100, windowSeconds: 86400, blockSeconds: 3600 } */
  ip?: CountLimitOptions
  /** Failures per IP and account together. @default { maxAttempts: 10, windowSeconds: 86400, blockSeconds: 900 } */
  ipAccount?: CountLimitOptions
}

/** Brute-force limits for sign-in. */
export interface LoginLimiter {
  /**
   * Call BEFORE checking the password. Refuses when a limit holds; otherwise counts the attempt
   * (counting up front means parallel guesses cannot all slip past the check).
   */
  attempt(key: LoginAttemptKey): Promise<LoginLimitDecision>
  /** Call after a successful sign-in: clears the account and IP + account counters, refunds the IP. */
  recordSuccess(key: LoginAttemptKey): Promise<void>
  /** Whether an attempt would be refused now, without counting one. */
  check(key: LoginAttemptKey): Promise<LoginLimitDecision>
  /** Clears an account's failures, delay and lock (an operator unlocking it). */
  reset(account: string): Promise<void>
}

interface CountLimit {
  maxAttempts: number
  windowSeconds: number
  blockSeconds: number
}

/**
 * Brute-force protection on rate-limiter-flexible: per account (consecutive failures: free
 * attempts, then a doubling delay, then a lock), per IP, and per IP + account. A successful
 * sign-in clears the account. Every refusal says when to retry, for `Retry-After`.
 *
 * Account identifiers are hashed into keys, so the store holds no emails.
 *
 * @example
 * ```ts
 * import { createLoginLimiter } from '@acme/auth-core'
 *
 * const limiter = createLoginLimiter({ store: 'memory' })
 * const decision = await limiter.attempt({ account: email, ip: req.ip })
 * if (!decision.allowed) {
 *   res.set('Retry-After', String(decision.retryAfterSeconds)).status(429)
 * } else if (await passwordIsRight()) {
 *   await limiter.recordSuccess({ account: email, ip: req.ip })
 * }
 * ```
 */
export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const input = requireObject(options, 'options')
  const store =
    input.store === 'memory'
      ? new MemoryRateLimitStore()
      : requireMethods<RateLimitStore>(input.store, 'options.store', ['add', 'get', 'delete'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const account = resolveAccount(input.account)
  const ip = resolveCount(input.ip, 'options.ip', { maxAttempts: 100, windowSeconds: 86_400, blockSeconds: 3600 })
  const pair = resolveCount(input.ipAccount, 'options.ipAccount', { maxAttempts: 10, windowSeconds: 86_400, blockSeconds: 900 })

  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new ClockedRateLimiter({ keyPrefix, points, duration }, store, clock)
  const accounts = limiter('login:acct', account.lockAfter, account.windowSeconds)
  const delays = limiter('login:delay', 1, account.lockSeconds)
  const ips = limiter('login:ip', ip.maxAttempts, ip.windowSeconds)
  const pairs = limiter('login:ipacct', pair.maxAttempts, pair.windowSeconds)

  const keys = async (key: LoginAttemptKey) => {
    const parsed = requireObject(key, 'key')
    if (typeof parsed.account !== 'string') throw new TypeError('key.account must be a string')
    if (parsed.ip !== undefined && typeof parsed.ip !== 'string') throw new TypeError('key.ip must be a string')
    // Emails differ only by case and Unicode form for a human; an attacker must not get 5 free
    // attempts per spelling.
    const accountKey = (await sha256(parsed.account.normalize('NFKC').trim().toLowerCase())).slice(0, 22)
    return { account: accountKey, ip: parsed.ip, pair: parsed.ip === undefined ? undefined : `${parsed.ip}|${accountKey}` }
  }

  const refused = (ms: number, reason: 'locked' | 'rate_limited', which: LoginLimit): LoginLimitDecision => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
    reason,
    limit: which,
  })

  const check = async (key: LoginAttemptKey): Promise<LoginLimitDecision> => {
    const k = await keys(key)
    const [acct, delay, byIp, byPair] = await Promise.all([
      accounts.get(k.account),
      delays.get(k.account),
      k.ip === undefined ? null : ips.get(k.ip),
      k.pair === undefined ? null : pairs.get(k.pair),
    ])
    if (acct && acct.consumedPoints > account.lockAfter) return refused(acct.msBeforeNext, 'locked', 'account')
    if (byIp && byIp.consumedPoints > ip.maxAttempts) return refused(byIp.msBeforeNext, 'rate_limited', 'ip')
    if (byPair && byPair.consumedPoints > pair.maxAttempts) return refused(byPair.msBeforeNext, 'rate_limited', 'ip_account')
    if (delay) return refused(delay.msBeforeNext, 'rate_limited', 'account')
    return { allowed: true }
  }

  return Object.freeze({
    check,
    async attempt(key: LoginAttemptKey): Promise<LoginLimitDecision> {
      const before = await check(key)
      if (!before.allowed) return before
      const k = await keys(key)
      const [acct, byIp, byPair] = await Promise.all([
        accounts.penalty(k.account),
        k.ip === undefined ? null : ips.penalty(k.ip),
        k.pair === undefined ? null : pairs.penalty(k.pair),
      ])
      const n = acct.consumedPoints
      const blocks: Promise<unknown>[] = []
      // Reaching a threshold blocks the NEXT attempt; `n > threshold` means parallel attempts raced
      // past the check above, and those are refused here.
      if (n >= account.lockAfter) blocks.push(accounts.block(k.account, account.lockSeconds))
      else if (n >= account.freeAttempts) {
        const delay = Math.min(account.baseDelaySeconds * 2 ** (n - account.freeAttempts), account.lockSeconds)
        blocks.push(delays.block(k.account, delay))
      }
      if (byIp && byIp.consumedPoints >= ip.maxAttempts) blocks.push(ips.block(k.ip!, ip.blockSeconds))
      if (byPair && byPair.consumedPoints >= pair.maxAttempts) blocks.push(pairs.block(k.pair!, pair.blockSeconds))
      await Promise.all(blocks)
      if (n > account.lockAfter) return refused(account.lockSeconds * 1000, 'locked', 'account')
      if (byIp && byIp.consumedPoints > ip.maxAttempts) return refused(ip.blockSeconds * 1000, 'rate_limited', 'ip')
      if (byPair && byPair.consumedPoints > pair.maxAttempts) {
        return refused(pair.blockSeconds * 1000, 'rate_limited', 'ip_account')
      }
      return { allowed: true }
    },
    async recordSuccess(key: LoginAttemptKey) {
      const k = await keys(key)
      await Promise.all([
        accounts.delete(k.account),
        delays.delete(k.account),
        k.pair === undefined ? null : pairs.delete(k.pair),
        k.ip === undefined ? null : ips.reward(k.ip),
      ])
    },
    async reset(accountId: string) {
      const k = await keys({ account: accountId })
      await Promise.all([accounts.delete(k.account), delays.delete(k.account)])
    },
  })
}

function resolveAccount(value: unknown): Required<AccountLimitOptions> {
  const input = value === undefined ? {} : requireObject(value, 'options.account')
  const int = { min: 1, max: 1_000_000, integer: true }
  const freeAttempts = optionalNumber(input.freeAttempts, 'options.account.freeAttempts', 5, int)
  const lockAfter = optionalNumber(input.lockAfter, 'options.account.lockAfter', 10, { ...int, min: freeAttempts })
  return {
    freeAttempts,
    lockAfter,
    baseDelaySeconds: optionalNumber(input.baseDelaySeconds, 'options.account.baseDelaySeconds', 1, int),
    lockSeconds: optionalNumber(input.lockSeconds, 'options.account.lockSeconds', 900, int),
    windowSeconds: optionalNumber(input.windowSeconds, 'options.account.windowSeconds', 86_400, int),
  }
}

function resolveCount(value: unknown, path: string, defaults: CountLimit): CountLimit {
  const input = value === undefined ? {} : requireObject(value, path)
  const int = { min: 1, max: 100_000_000, integer: true }
  return {
    maxAttempts: optionalNumber(input.maxAttempts, `${path}.maxAttempts`, defaults.maxAttempts, int),
    windowSeconds: optionalNumber(input.windowSeconds, `${path}.windowSeconds`, defaults.windowSeconds, int),
    blockSeconds: optionalNumber(input.blockSeconds, `${path}.blockSeconds`, defaults.blockSeconds, int),
  }
}
