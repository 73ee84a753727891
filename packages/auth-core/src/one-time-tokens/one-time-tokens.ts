import { systemClock, type Clock } from '../clock.js'
import { decodeBase64Url } from '../lib/encoding.js'
import { randomToken, sha256 } from '../lib/crypto.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import type { OneTimeTokenStore } from './one-time-token-store.js'

/** What a one-time token is for. Tokens of one purpose are useless for another. */
export type OneTimeTokenPurpose = 'password_reset' | 'email_verification' | (string & {})

/** A token just issued: send `token` to the user (a link in an email) and forget it. */
export interface IssuedOneTimeToken {
  token: string
  id: string
  expiresAt: number
}

/** Options of {@link createOneTimeTokens}. */
export interface OneTimeTokensOptions {
  store: OneTimeTokenStore
  /** @default systemClock */
  clock?: Clock
  /** Lifetime of a token. @default 900 (15 min) */
  ttlSeconds?: number
}

/** Issues and consumes single-use tokens (password reset, email verification). */
export interface OneTimeTokens {
  /** A new `<id>.<secret>` token for `userId` and `purpose`; only SHA-256(secret) is stored. */
  issue(userId: string, purpose: OneTimeTokenPurpose, options?: { ttlSeconds?: number }): Promise<IssuedOneTimeToken>
  /**
   * Uses the token up: `{ userId }` the first time for the right purpose before it expires, `null`
   * for anything else (malformed, unknown, wrong purpose, expired, already used).
   */
  consume(token: unknown, purpose: OneTimeTokenPurpose): Promise<{ userId: string; id: string } | null>
  /**
   * Deletes every token of `userId`, of every purpose (account deletion). `null` when the store
   * cannot (it has no `deleteAllForUser`): those tokens then die with the user, or expire.
   */
  revokeAllForUser(userId: string): Promise<number | null>
}

const SECRET_BYTES = 32
const tokenPattern = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/**
 * Single-use tokens for password reset and email verification: `<id>.<secret>` with a 256-bit
 * secret, stored as SHA-256 (a leaked store holds no usable token), bound to a user and a purpose,
 * short-lived, and consumed atomically by the store (`consumeOne`), so a token works once even
 * when many requests present it at the same moment.
 *
 * @default { clock: systemClock, ttlSeconds: 900 }
 * @example
 * ```ts
 * import { createOneTimeTokens, MemoryOneTimeTokenStore } from '@acme/auth-core'
 *
 * const tokens = createOneTimeTokens({ store: new MemoryOneTimeTokenStore() })
 * const { token } = await tokens.issue('user-1', 'email_verification')
 * await tokens.consume(token, 'email_verification') // { userId: 'user-1', id: '…' }
 * await tokens.consume(token, 'email_verification') // null: used
 * ```
 */
export function createOneTimeTokens(options: OneTimeTokensOptions): OneTimeTokens {
  const input = requireObject(options, 'options')
  const store = requireMethods<OneTimeTokenStore>(input.store, 'options.store', ['save', 'consumeOne'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const range = { min: 1, max: 7 * 86_400, integer: true }
  const defaultTtl = optionalNumber(input.ttlSeconds, 'options.ttlSeconds', 900, range)

  return Object.freeze({
    async issue(userId: string, purpose: OneTimeTokenPurpose, issueOptions: { ttlSeconds?: number } = {}) {
      if (typeof userId !== 'string' || userId === '') throw new TypeError('userId must be a non-empty string')
      if (typeof purpose !== 'string' || !/^[a-z0-9_.:-]{1,64}$/.test(purpose)) {
        throw new TypeError('purpose must be 1-64 characters of a-z, 0-9, _ . : -')
      }
      const ttl = optionalNumber(requireObject(issueOptions, 'options').ttlSeconds, 'options.ttlSeconds', defaultTtl, range)
      const id = randomToken(16)
      const secret = randomToken(SECRET_BYTES)
      const now = clock.now()
      const expiresAt = now + ttl * 1000
      await store.save({ id, userId, purpose, secretHash: await sha256(secret), expiresAt }, now)
      return { token: `${id}.${secret}`, id, expiresAt }
    },
    async consume(token: unknown, purpose: OneTimeTokenPurpose) {
      if (typeof token !== 'string' || typeof purpose !== 'string') return null
      const match = tokenPattern.exec(token)
      if (!match || decodeBase64Url(match[2]!)?.length !== SECRET_BYTES) return null
      const record = await store.consumeOne(match[1]!, { secretHash: await sha256(match[2]!), purpose }, clock.now())
      return record === null ? null : { userId: record.userId, id: record.id }
    },
    async revokeAllForUser(userId: string) {
      if (typeof userId !== 'string' || userId === '') throw new TypeError('userId must be a non-empty string')
      return typeof store.deleteAllForUser === 'function' ? store.deleteAllForUser(userId) : null
    },
  })
}
