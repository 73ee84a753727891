import { createAuditEmitter } from '../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { AuthError } from '../errors.js'
import { fingerprint } from '../lib/crypto.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { PasswordHasher } from '../passwords/password-hasher.js'
import { createPasswordPolicy, type PasswordPolicy } from '../passwords/password-policy.js'
import type { RequestContext } from '../sessions/session-manager.js'
import type { IssuedOneTimeToken, OneTimeTokens } from './one-time-tokens.js'

/**
 * What ends a user's other sign-ins after a reset. Sessions and refresh families are other modules;
 * pass e.g. `(id) => sessions.revokeAllForUser(id)`. `false` keeps them (not recommended).
 */
export type PasswordResetRevokers =
  | false
  | {
      revokeSessionsForUser?: (userId: string) => Promise<unknown>
      revokeRefreshFamiliesForUser?: (userId: string) => Promise<unknown>
    }

/** Options of {@link createPasswordReset}. */
export interface PasswordResetOptions {
  tokens: OneTimeTokens
  /** How new passwords are checked, hashed and stored. `policy` @default createPasswordPolicy() */
  passwords: { hasher: PasswordHasher; policy?: PasswordPolicy; save(userId: string, passwordHash: string): Promise<void> }
  /** @default {} (nothing to revoke) */
  revokers?: PasswordResetRevokers
  /** @default noopAuditSink */
  audit?: AuditSink
  /** @default systemClock */
  clock?: Clock
}

/** The password-reset flow: request (issue a token to email) and complete (consume it, set the password). */
export interface PasswordReset {
  /** Issues a `password_reset` token for a known user. Email `token`; never return it to the requester. */
  request(userId: string, context?: RequestContext): Promise<IssuedOneTimeToken>
  /**
   * Checks the new password against the policy (before using the token up, so a refused password
   * leaves the link usable), consumes the token, stores the new hash, and revokes the user's
   * sessions and refresh families. Throws `ERR_PASSWORD_POLICY` or `ERR_ONE_TIME_TOKEN_INVALID`.
   */
  complete(token: unknown, newPassword: unknown, context?: RequestContext): Promise<{ userId: string }>
}

/**
 * Password reset over one-time tokens, with audit events (`PASSWORD_RESET_REQUESTED`,
 * `PASSWORD_RESET_COMPLETED`; the token only as a fingerprint).
 *
 * @example
 * ```ts
 * const reset = createPasswordReset({
 *   tokens: createOneTimeTokens({ store: new MemoryOneTimeTokenStore() }),
 *   passwords: { hasher: createPasswordHasher(), save: (id, hash) => db.setPasswordHash(id, hash) },
 *   revokers: { revokeSessionsForUser: (id) => sessions.revokeAllForUser(id) },
 * })
 * const { token } = await reset.request(user.id)   // email a link with the token
 * await reset.complete(token, 'a new long passphrase') // { userId }
 * ```
 */
export function createPasswordReset(options: PasswordResetOptions): PasswordReset {
  const input = requireObject(options, 'options')
  const tokens = requireMethods<OneTimeTokens>(input.tokens, 'options.tokens', ['issue', 'consume'])
  const passwords = requireObject(input.passwords, 'options.passwords')
  const hasher = requireMethods<PasswordHasher>(passwords.hasher, 'options.passwords.hasher', ['hash', 'verify', 'needsRehash'])
  if (typeof passwords.save !== 'function') throw new TypeError('options.passwords.save must be a function')
  const save = passwords.save as (userId: string, passwordHash: string) => Promise<void>
  const policy =
    passwords.policy === undefined
      ? createPasswordPolicy()
      : requireMethods<PasswordPolicy>(passwords.policy, 'options.passwords.policy', ['check', 'assert'])
  const revokers = input.revokers === undefined || input.revokers === false ? {} : requireObject(input.revokers, 'options.revokers')
  for (const name of ['revokeSessionsForUser', 'revokeRefreshFamiliesForUser']) {
    if (revokers[name] !== undefined && typeof revokers[name] !== 'function') {
      throw new TypeError(`options.revokers.${name} must be a function`)
    }
  }
  const { revokeSessionsForUser, revokeRefreshFamiliesForUser } = revokers as Exclude<PasswordResetRevokers, false>
  const audit = input.audit === undefined ? noopAuditSink : requireMethods<AuditSink>(input.audit, 'options.audit', ['emit'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])

  const emit = createAuditEmitter(audit, clock)

  return Object.freeze({
    async request(userId: string, context?: RequestContext) {
      const issued = await tokens.issue(userId, 'password_reset')
      emit(
        { type: 'PASSWORD_RESET_REQUESTED', outcome: 'success', userId, tokenFingerprint: await fingerprint(issued.token) },
        context,
      )
      return issued
    },
    async complete(token: unknown, newPassword: unknown, context?: RequestContext) {
      const tokenFingerprint = typeof token === 'string' ? await fingerprint(token) : undefined
      const fail = (reason: string) =>
        emit({ type: 'PASSWORD_RESET_COMPLETED', outcome: 'failure', reason, ...(tokenFingerprint && { tokenFingerprint }) }, context)
      const checked = await policy.check(newPassword)
      if (!checked.ok) {
        fail('password_policy')
        throw new AuthError('ERR_PASSWORD_POLICY', `Password refused: ${checked.violations.join(', ')}`, {
          cause: { violations: checked.violations },
        })
      }
      const consumed = await tokens.consume(token, 'password_reset')
      if (consumed === null) {
        fail('invalid_token')
        throw new AuthError('ERR_ONE_TIME_TOKEN_INVALID', 'The reset link is invalid, expired or already used')
      }
      const { userId } = consumed
      await save(userId, await hasher.hash(checked.password))
      // Whoever knew the old password (the reason for many resets) must lose access now.
      await Promise.all([revokeSessionsForUser?.(userId), revokeRefreshFamiliesForUser?.(userId)])
      emit(
        {
          type: 'PASSWORD_RESET_COMPLETED',
          outcome: 'success',
          userId,
          ...(tokenFingerprint && { tokenFingerprint }),
          data: {
            sessionsRevoked: revokeSessionsForUser !== undefined,
            refreshFamiliesRevoked: revokeRefreshFamiliesForUser !== undefined,
          },
        },
        context,
      )
      return { userId }
    },
  })
}
