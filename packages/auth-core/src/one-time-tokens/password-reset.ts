import { createAuditEmitter } from '../audit/audit-emitter.js'
import { noopAuditSink, type AuditSink } from '../audit/audit-event.js'
import { systemClock, type Clock } from '../clock.js'
import { AuthError } from '../errors.js'
import { fingerprint } from '../lib/crypto.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { PasswordHasher } from '../passwords/password-hasher.js'
import { createPasswordPolicy, type PasswordPolicy } from '../passwords/password-policy.js'
import type { RefreshFamilies } from '../refresh/refresh-families.js'
import type { RequestContext, SessionManager } from '../sessions/session-manager.js'
import type { IssuedOneTimeToken, OneTimeTokens } from './one-time-tokens.js'

/**
 * Custom ways to end a user's other sign-ins after a reset, instead of (or besides) `sessions` and
 * `refreshFamilies`: a function given here wins over the matching option. `false` keeps every
 * sign-in (not recommended: whoever knew the old password keeps access).
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
  /**
   * Every session of the user ends after a reset (`revokeAllForUser`). Required unless
   * `revokers.revokeSessionsForUser` is given or `revokers` is `false`.
   */
  sessions?: Pick<SessionManager, 'revokeAllForUser'>
  /**
   * Every refresh-token family of the user ends after a reset. Required unless
   * `revokers.revokeRefreshFamiliesForUser` is given or `revokers` is `false`; pass `false` when the
   * app issues no refresh tokens.
   */
  refreshFamilies?: Pick<RefreshFamilies, 'revokeAllForUser'> | false
  /** @default revoke through `sessions` and `refreshFamilies` */
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
 *   sessions, // every session of the user ends
 *   refreshFamilies, // and every refresh-token family (false when the app issues none)
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
  const { revokeSessionsForUser, revokeRefreshFamiliesForUser } = resolveRevokers(input)
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
      await Promise.all([revokeSessionsForUser?.(userId, context), revokeRefreshFamiliesForUser?.(userId, context)])
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

type Revoker = (userId: string, context?: RequestContext) => Promise<unknown>

/**
 * Fail closed: each kind of sign-in is revoked unless the caller said, explicitly, that there is
 * nothing to revoke (`revokers: false`, `refreshFamilies: false`).
 */
function resolveRevokers(input: Record<string, unknown>): { revokeSessionsForUser?: Revoker; revokeRefreshFamiliesForUser?: Revoker } {
  if (input.revokers === false) return {}
  const custom = input.revokers === undefined ? {} : requireObject(input.revokers, 'options.revokers')
  for (const name of ['revokeSessionsForUser', 'revokeRefreshFamiliesForUser']) {
    if (custom[name] !== undefined && typeof custom[name] !== 'function') {
      throw new TypeError(`options.revokers.${name} must be a function`)
    }
  }
  const customSessions = custom.revokeSessionsForUser as Revoker | undefined
  const customFamilies = custom.revokeRefreshFamiliesForUser as Revoker | undefined

  let revokeSessionsForUser = customSessions
  if (!revokeSessionsForUser) {
    if (input.sessions === undefined) {
      throw new TypeError('options.sessions is required: a password reset ends every session of the user (revokers: false keeps them, not recommended)')
    }
    const sessions = requireMethods<Pick<SessionManager, 'revokeAllForUser'>>(input.sessions, 'options.sessions', ['revokeAllForUser'])
    revokeSessionsForUser = (userId, context) => sessions.revokeAllForUser(userId, { reason: 'password_reset' }, context)
  }

  let revokeRefreshFamiliesForUser = customFamilies
  if (!revokeRefreshFamiliesForUser && input.refreshFamilies !== false) {
    if (input.refreshFamilies === undefined) {
      throw new TypeError('options.refreshFamilies is required: a password reset ends every refresh-token family of the user (false when the app issues no refresh tokens)')
    }
    const families = requireMethods<Pick<RefreshFamilies, 'revokeAllForUser'>>(input.refreshFamilies, 'options.refreshFamilies', ['revokeAllForUser'])
    revokeRefreshFamiliesForUser = (userId, context) => families.revokeAllForUser(userId, context)
  }
  return { revokeSessionsForUser, ...(revokeRefreshFamiliesForUser && { revokeRefreshFamiliesForUser }) }
}
