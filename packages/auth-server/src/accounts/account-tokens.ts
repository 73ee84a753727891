import { createHmac } from 'node:crypto'
import { timingSafeEqual, type OneTimeTokens } from '@acme/auth-core'
import type { AccountsConfig } from './accounts-config.js'
import type { DirectoryUser, UserDirectory } from '../core/user-directory.js'

/** What an account token is for. */
export type AccountTokenPurpose = 'email_verification' | 'password_reset'

/** Account tokens: core's one-time tokens, bound to the user, their address and the purpose. Internal. */
export interface AccountTokens {
  /** A token for `user` at their current address; mail it, never answer it. */
  issue(user: DirectoryUser, purpose: AccountTokenPurpose): Promise<{ token: string; ttlSeconds: number }>
  /**
   * Uses the token up: the user, when the token is live, of this purpose, and the user still has
   * the address it was sent to; `null` for anything else (malformed, forged, used, expired).
   */
  consume(token: unknown, purpose: AccountTokenPurpose): Promise<DirectoryUser | null>
  /** A token that moves `user` to `newEmail` (mailed there): it carries the new address, bound by a keyed digest. */
  issueChange(user: DirectoryUser, newEmail: string): Promise<{ token: string; ttlSeconds: number }>
  /** Uses a change token up: the user (still at the address it was issued for) and the new address, or `null`. */
  consumeChange(token: unknown): Promise<{ user: DirectoryUser; newEmail: string } | null>
  /** The same tokens as core's `OneTimeTokens` shape, for `createPasswordReset` (consume only). */
  asOneTimeTokens(): OneTimeTokens
}

// `<id>.<secret>` from core, then `.<tag>`: 96 bits of an HMAC of the address.
const tokenPattern = /^([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\.([0-9a-f]{24})$/
// An email change's: the same, then `.<the new address, base64url>` (its digest is in the purpose).
const changePattern = /^([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\.([0-9a-f]{24})\.([A-Za-z0-9_-]{1,440})$/

/** Whether a token is an email change's (three parts after core's), by its shape alone. */
export const isChangeToken = (token: string) => changePattern.test(token)

/** A keyed digest of an address: names it in a token or a limit key without revealing it. */
export function addressDigest(secret: Buffer, use: 'token' | 'limit', email: string): string {
  return createHmac('sha256', secret).update(`acme-auth:${use}:`).update(email).digest('hex')
}

/**
 * Binds core's one-time tokens (hashed, single use, bound to user and purpose) to the address too:
 * the purpose stored with the token carries a keyed digest of the address, and the token handed
 * out carries the same digest, so a link mailed to an address stops working once the account has
 * another address, and a token changed in any part matches nothing.
 */
export function createAccountTokens(config: AccountsConfig, secret: Buffer, users: UserDirectory): AccountTokens {
  const tokens = config.tokens
  const tagOf = (email: string) => addressDigest(secret, 'token', email).slice(0, 24)
  const ttlOf = (purpose: AccountTokenPurpose) => (purpose === 'password_reset' ? config.resetTtlSeconds : config.verificationTtlSeconds)

  const consume = async (token: unknown, purpose: AccountTokenPurpose): Promise<DirectoryUser | null> => {
    if (typeof token !== 'string') return null
    const match = tokenPattern.exec(token)
    if (!match) return null
    const [, core, tag] = match as unknown as [string, string, string]
    const consumed = await tokens.consume(core, `${purpose}:${tag}`)
    if (!consumed) return null
    const user = await users.findById(consumed.userId)
    return user && timingSafeEqual(tagOf(user.email), tag) ? user : null
  }

  return {
    async issue(user, purpose) {
      const tag = tagOf(user.email)
      const ttlSeconds = ttlOf(purpose)
      const issued = await tokens.issue(user.id, `${purpose}:${tag}`, { ttlSeconds })
      return { token: `${issued.token}.${tag}`, ttlSeconds }
    },
    consume,
    async issueChange(user, newEmail) {
      const ttlSeconds = config.verificationTtlSeconds
      const issued = await tokens.issue(user.id, `email_change:${tagOf(user.email)}:${tagOf(newEmail)}`, { ttlSeconds })
      return { token: `${issued.token}.${tagOf(user.email)}.${Buffer.from(newEmail, 'utf8').toString('base64url')}`, ttlSeconds }
    },
    async consumeChange(token) {
      if (typeof token !== 'string') return null
      const match = changePattern.exec(token)
      if (!match) return null
      const [, core, tag, encoded] = match as unknown as [string, string, string, string]
      const newEmail = Buffer.from(encoded, 'base64url').toString('utf8')
      const consumed = await tokens.consume(core, `email_change:${tag}:${tagOf(newEmail)}`)
      if (!consumed) return null
      const user = await users.findById(consumed.userId)
      return user && timingSafeEqual(tagOf(user.email), tag) ? { user, newEmail } : null
    },
    asOneTimeTokens: () => ({
      issue: () => Promise.reject(new TypeError('account tokens are issued with issue(user, purpose)')),
      async consume(token, purpose) {
        const user = await consume(token, purpose as AccountTokenPurpose)
        return user ? { userId: user.id, id: '' } : null
      },
      revokeAllForUser: (userId) => tokens.revokeAllForUser(userId),
    }),
  }
}
