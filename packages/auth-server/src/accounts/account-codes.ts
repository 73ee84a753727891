import { createHmac, randomBytes, randomInt } from 'node:crypto'
import type { AuthMetrics, OneTimeTokenStore } from '@acme/auth-core'
import type { Exchange } from '../http/exchange.js'
import { badRequest } from '../errors/problem-error.js'
import { consumeKeyLimit } from '../routes/route-limits.js'
import type { AccountsConfig } from './accounts-config.js'
import { addressDigest } from './account-tokens.js'

/** What a 6-digit code is for. */
export type AccountCodePurpose = 'email_verification' | 'password_reset' | 'email_change'

/** 6-digit codes (`accounts.tokens.format: 'code'`), bound to an address and a purpose. Internal. */
export interface AccountCodes {
  /** A new code for `email`, mailed to it; it replaces the address's previous code of `purpose`. */
  issue(userId: string, email: string, purpose: AccountCodePurpose, ttlSeconds: number): Promise<{ code: string }>
  /**
   * Counts the attempt against the per-IP limit (429 past it, the code unchecked), then uses the
   * code up: the user id and purpose when it is the address's live code of one of `purposes`,
   * `null` otherwise. A wrong code counts against the address; the one that reaches the limit
   * burns the address's codes and answers 429.
   */
  consume(ex: Exchange, email: string, code: string, purposes: readonly AccountCodePurpose[]): Promise<{ userId: string; purpose: AccountCodePurpose } | null>
}

/** A body's code: exactly six digits (anything else is a 400, never counted as a guess). */
export const codePattern = /^[0-9]{6}$/

// A burned code's record: same id, a hash nothing matches, gone in a second.
const burnedUser = 'acme-auth:burned-code'

/**
 * Codes in core's one-time token store, under an id that is a keyed hash of the purpose and the
 * address (so a code can be looked up from `{ email, code }` and a new one replaces the old), with
 * an HMAC keyed with the server secret over purpose, address and code as the stored hash: a leaked
 * store does not let anyone try the million codes offline, and a code is useless for any other
 * address. The store's `consumeOne` makes a code work once.
 */
export function createAccountCodes(config: AccountsConfig, secret: Buffer, metrics: AuthMetrics): AccountCodes {
  const store: OneTimeTokenStore = config.tokenStore
  const { perAddress, perIp } = config.codeLimiters
  const mac = (...parts: string[]) => createHmac('sha256', secret).update(`acme-auth:code:${parts.join('\u0000')}`)
  const idOf = (purpose: AccountCodePurpose, email: string) => mac('id', purpose, email).digest().subarray(0, 16).toString('base64url')
  const hashOf = (purpose: AccountCodePurpose, email: string, code: string) => mac('hash', purpose, email, code).digest('hex')

  const burn = async (email: string, purposes: readonly AccountCodePurpose[]) => {
    const now = config.clock.now()
    for (const purpose of purposes) {
      await store.save({ id: idOf(purpose, email), userId: burnedUser, purpose, secretHash: randomBytes(32).toString('hex'), expiresAt: now + 1000 }, now)
    }
  }

  return {
    async issue(userId, email, purpose, ttlSeconds) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const now = config.clock.now()
      await store.save({ id: idOf(purpose, email), userId, purpose, secretHash: hashOf(purpose, email, code), expiresAt: now + ttlSeconds * 1000 }, now)
      return { code }
    },
    async consume(ex, email, code, purposes) {
      if (!codePattern.test(code)) throw badRequest('A code is six digits.')
      await consumeKeyLimit(perIp, 'account_code', `account_code|${ex.ip ?? 'unknown'}`, metrics)
      const now = config.clock.now()
      for (const purpose of purposes) {
        const record = await store.consumeOne(idOf(purpose, email), { secretHash: hashOf(purpose, email, code), purpose }, now)
        if (record && record.userId !== burnedUser) return { userId: record.userId, purpose }
      }
      try {
        await consumeKeyLimit(perAddress, 'account_code', `account_code|a:${addressDigest(secret, 'limit', email).slice(0, 32)}`, metrics)
      } catch (error) {
        await burn(email, purposes)
        throw error
      }
      return null
    },
  }
}
