import type { Clock } from '../clock.js'
import { sha256 } from '../lib/crypto.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { ClockedRateLimiter } from './clocked-rate-limiter.js'
import { resolveLimiterBackend } from './limiter-backend.js'
import type { RateLimitStore } from './rate-limit-store.js'

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

/** A counting limit: `maxAttempts` failures in `windowSeconds`, then a block of `blockSeconds`. */
export interface CountLimitOptions {
  maxAttempts?: number
  windowSeconds?: number
  blockSeconds?: number
}

/** The per-account limit (failures from any IP), and which IPs it spares. */
export interface AccountLimitOptions extends CountLimitOptions {
  /**
   * An IP that signed in to the account successfully within this many seconds is spared by the
   * per-account limit (it keeps its own per IP + account budget), so a distributed attack that trips
   * the account limit does not lock the owner out of the devices they use. 0 spares none.
   * @default 2592000 (30 days)
   */
  knownIpSeconds?: number
}

/**
 * Options of {@link createLoginLimiter}. The three limits are the "login endpoint protection"
 * pattern (OWASP; rate-limiter-flexible's example): strict per IP + account, looser per account
 * from anywhere, and per IP across accounts. Keep `account.maxAttempts` above `ip.maxAttempts`, so
 * that a single IP can never trip the account limit by itself.
 */
export interface LoginLimiterOptions {
  /** `'memory'` (one process) or a shared store such as `createRedisRateLimitStore()`. */
  store: 'memory' | RateLimitStore
  /** @default systemClock */
  clock?: Clock
  /**
   * Consecutive failures for one account from one IP (a success clears them).
   * @default { maxAttempts: 10, windowSeconds: 900, blockSeconds: 900 }
   */
  ipAccount?: CountLimitOptions
  /**
   * Failures for one account from any IP (not cleared by a success).
   * @default { maxAttempts: 200, windowSeconds: 86400, blockSeconds: 86400, knownIpSeconds: 2592000 }
   */
  account?: AccountLimitOptions
  /**
   * Failures from one IP across all accounts (a password spray).
   * @default { maxAttempts: 100, windowSeconds: 86400, blockSeconds: 86400 }
   */
  ip?: CountLimitOptions
}

/** Brute-force limits for sign-in. */
export interface LoginLimiter {
  /**
   * Call BEFORE checking the password. Refuses when a limit holds; otherwise counts the attempt as
   * a failure (counting up front means parallel guesses cannot all slip past the check).
   */
  attempt(key: LoginAttemptKey): Promise<LoginLimitDecision>
  /**
   * Call after a successful sign-in: clears the IP + account failures, refunds the attempt to the
   * account and IP counters, and remembers the IP as known for the account.
   */
  recordSuccess(key: LoginAttemptKey): Promise<void>
  /** Whether an attempt would be refused now, without counting one. */
  check(key: LoginAttemptKey): Promise<LoginLimitDecision>
  /** Clears an account's failures and lock from any IP (an operator unlocking it). */
  reset(account: string): Promise<void>
}

interface CountLimit {
  maxAttempts: number
  windowSeconds: number
  blockSeconds: number
}

/**
 * Brute-force protection on rate-limiter-flexible, after OWASP's and rate-limiter-flexible's login
 * endpoint protection: per IP + account (10 consecutive failures in 15 minutes, then 15 minutes
 * blocked), per account from any IP (200 a day, sparing IPs that signed in to it lately), and per
 * IP across accounts (100 a day). Ten failures from anywhere cannot lock anyone out: an attacker's
 * IP exhausts its own budgets, never the account owner's. Every refusal says when to retry, for
 * `Retry-After`.
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
  const { store, clock } = resolveLimiterBackend(input)
  const pair = resolveCount(input.ipAccount, 'options.ipAccount', { maxAttempts: 10, windowSeconds: 900, blockSeconds: 900 })
  const account = resolveCount(input.account, 'options.account', { maxAttempts: 200, windowSeconds: 86_400, blockSeconds: 86_400 })
  const knownIpSeconds = resolveKnownIpSeconds(input.account)
  const ip = resolveCount(input.ip, 'options.ip', { maxAttempts: 100, windowSeconds: 86_400, blockSeconds: 86_400 })

  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new ClockedRateLimiter({ keyPrefix, points, duration }, store, clock)
  const pairs = limiter('login:ipacct', pair.maxAttempts, pair.windowSeconds)
  const accounts = limiter('login:acct', account.maxAttempts, account.windowSeconds)
  const ips = limiter('login:ip', ip.maxAttempts, ip.windowSeconds)
  const known = limiter('login:known', 1, Math.max(1, knownIpSeconds))

  const keys = async (key: LoginAttemptKey) => {
    const parsed = requireObject(key, 'key')
    if (typeof parsed.account !== 'string') throw new TypeError('key.account must be a string')
    if (parsed.ip !== undefined && typeof parsed.ip !== 'string') throw new TypeError('key.ip must be a string')
    // Emails differ only by case and Unicode form for a human; an attacker must not get a fresh
    // budget per spelling.
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
    const [byPair, byAccount, byIp, isKnown] = await Promise.all([
      k.pair === undefined ? null : pairs.get(k.pair),
      accounts.get(k.account),
      k.ip === undefined ? null : ips.get(k.ip),
      k.pair === undefined || knownIpSeconds === 0 ? null : known.get(k.pair),
    ])
    if (byPair && byPair.consumedPoints > pair.maxAttempts) return refused(byPair.msBeforeNext, 'rate_limited', 'ip_account')
    if (byIp && byIp.consumedPoints > ip.maxAttempts) return refused(byIp.msBeforeNext, 'rate_limited', 'ip')
    if (byAccount && byAccount.consumedPoints > account.maxAttempts && !isKnown) {
      return refused(byAccount.msBeforeNext, 'locked', 'account')
    }
    return { allowed: true }
  }

  return Object.freeze({
    check,
    async attempt(key: LoginAttemptKey): Promise<LoginLimitDecision> {
      const before = await check(key)
      if (!before.allowed) return before
      const k = await keys(key)
      const [byPair, byAccount, byIp, isKnown] = await Promise.all([
        k.pair === undefined ? null : pairs.penalty(k.pair),
        accounts.penalty(k.account),
        k.ip === undefined ? null : ips.penalty(k.ip),
        k.pair === undefined || knownIpSeconds === 0 ? null : known.get(k.pair),
      ])
      // Reaching a limit blocks the NEXT attempt; going past it means parallel attempts raced past
      // the check above, and those are refused here.
      const blocks: Promise<unknown>[] = []
      if (byPair && byPair.consumedPoints >= pair.maxAttempts) blocks.push(pairs.block(k.pair!, pair.blockSeconds))
      if (byAccount.consumedPoints >= account.maxAttempts) blocks.push(accounts.block(k.account, account.blockSeconds))
      if (byIp && byIp.consumedPoints >= ip.maxAttempts) blocks.push(ips.block(k.ip!, ip.blockSeconds))
      await Promise.all(blocks)
      if (byPair && byPair.consumedPoints > pair.maxAttempts) return refused(pair.blockSeconds * 1000, 'rate_limited', 'ip_account')
      if (byIp && byIp.consumedPoints > ip.maxAttempts) return refused(ip.blockSeconds * 1000, 'rate_limited', 'ip')
      if (byAccount.consumedPoints > account.maxAttempts && !isKnown) return refused(account.blockSeconds * 1000, 'locked', 'account')
      return { allowed: true }
    },
    async recordSuccess(key: LoginAttemptKey) {
      const k = await keys(key)
      // Refund the attempt counted up front, unless that would lift a block someone else earned.
      const refund = async (counter: ClockedRateLimiter, id: string, max: number) => {
        const current = await counter.get(id)
        if (current && current.consumedPoints > 0 && current.consumedPoints <= max) await counter.reward(id)
      }
      await Promise.all([
        k.pair === undefined ? null : pairs.delete(k.pair),
        refund(accounts, k.account, account.maxAttempts),
        k.ip === undefined ? null : refund(ips, k.ip, ip.maxAttempts),
        k.pair === undefined || knownIpSeconds === 0 ? null : known.set(k.pair, 1, knownIpSeconds),
      ])
    },
    async reset(accountId: string) {
      const k = await keys({ account: accountId })
      await accounts.delete(k.account)
    },
  })
}

function resolveKnownIpSeconds(value: unknown): number {
  const input = value === undefined ? {} : requireObject(value, 'options.account')
  return optionalNumber(input.knownIpSeconds, 'options.account.knownIpSeconds', 2_592_000, { min: 0, max: 31_622_400, integer: true })
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
