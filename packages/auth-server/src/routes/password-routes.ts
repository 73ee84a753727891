import { createPasswordReset, timingSafeEqual, type OneTimeTokens, type PasswordReset } from '@acme/auth-core'
import * as v from 'valibot'
import { offRequestPath, sendAccountMail } from '../accounts/account-mail.js'
import { mailOneTime } from '../accounts/one-time-mail.js'
import {
  accepted,
  acceptNewPassword,
  bodyOf,
  checkCurrentPassword,
  email,
  limitAccountRoute,
  noReferrer,
  password,
  signedInUser,
  token,
  type AccountKit,
} from '../accounts/account-kit.js'
import { forgetTrustedDevices } from '../core/trusted-device-cookie.js'
import type { DirectoryUser } from '../core/user-directory.js'
import { empty, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { unauthorized } from '../errors/problem-error.js'
import { clientOf } from '../strategies/session-strategy.js'

const forgotBody = v.object({ email })
const resetBody = v.union([v.object({ token, password }), v.object({ email, code: v.pipe(v.string(), v.maxLength(16)), password })])
const changeBody = v.object({ currentPassword: password, newPassword: password })

/**
 * `POST /password/forgot`, `POST /password/reset` and `POST /password` (change), when the
 * directory can `setPasswordHash` (forgot also needs a mailer).
 */
export function passwordRoutes(kit: AccountKit): Route[] {
  const { users, sessions, tokens, audit } = kit.ctx.config
  const save = users.setPasswordHash?.bind(users)
  if (!save) return []
  // Core's reset flow: the new password is checked (policy, breached list) BEFORE the token is
  // used up, then the hash is stored and every session and refresh family of the user ends.
  const reset = createPasswordReset({
    tokens: resetTokens(kit),
    passwords: { hasher: kit.ctx.config.passwords, policy: kit.config.policy, save },
    sessions,
    refreshFamilies: tokens?.refreshFamilies ?? false,
    audit,
    clock: kit.config.clock,
  })
  const routes: Route[] = []
  if (kit.config.mailer) routes.push({ method: 'POST', path: '/password/forgot', handle: (ex) => forgot(kit, ex) })
  routes.push(
    { method: 'POST', path: '/password/reset', handle: (ex) => completeReset(kit, reset, ex) },
    { method: 'POST', path: '/password', handle: (ex) => changePassword(kit, ex) },
  )
  return routes
}

/** A `{ email, code }` reset, as handed to core's reset flow in place of a token. */
interface CodeAttempt {
  ex: Exchange
  email: string
  code: string
}

const isCodeAttempt = (value: unknown): value is CodeAttempt => typeof value === 'object' && value !== null && 'code' in value && 'email' in value && 'ex' in value

/**
 * The account tokens as core's reset flow uses them: a link's token, or (`format: 'code'`) a code
 * for the address, which works while the account still has that address.
 */
function resetTokens(kit: AccountKit): OneTimeTokens {
  const links = kit.tokens.asOneTimeTokens()
  return {
    ...links,
    async consume(secret, purpose) {
      if (!isCodeAttempt(secret)) return links.consume(secret, purpose)
      const used = await kit.codes.consume(secret.ex, secret.email, secret.code, ['password_reset'])
      const user = used && (await kit.ctx.config.users.findById(used.userId))
      return user && timingSafeEqual(user.email, secret.email) ? { userId: user.id, id: '' } : null
    },
  }
}

/** Tells the owner their password changed (off the request path): if it was not them, they know. */
const noticeChanged = (kit: AccountKit, user: DirectoryUser) =>
  offRequestPath('password-changed mail', () => sendAccountMail(kit.config, 'passwordChanged', user.email, {}))

/** `POST /password/forgot`: a reset link to the address when it has an account; 202 for every address. */
async function forgot(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const body = bodyOf(ex, forgotBody, '{ "email": string }')
  await limitAccountRoute(kit, 'password_forgot', ex, body.email)
  offRequestPath('reset mail', async () => {
    const user = await kit.ctx.config.users.findByEmail(body.email)
    if (!user) return
    await mailOneTime(kit, 'reset', user)
    kit.ctx.audit(ex, { type: 'PASSWORD_RESET_REQUESTED', outcome: 'success', userId: user.id })
    kit.metrics.accountFlow('password_reset', 'started')
  })
  return accepted()
}

/**
 * `POST /password/reset`: works while signed in (as anyone). Every session and refresh family of
 * the user ends, this request's included, and their remembered devices are forgotten; the user
 * signs in again with the new password.
 */
async function completeReset(kit: AccountKit, reset: PasswordReset, ex: Exchange): Promise<Answer> {
  noReferrer(ex)
  const code = kit.config.format === 'code'
  const body = bodyOf(ex, resetBody, code ? '{ "email": string, "code": string, "password": string }' : '{ "token": string, "password": string }')
  await limitAccountRoute(kit, 'password_reset', ex)
  // The shape of the format in use, or nothing that can match (a link's token with codes on).
  const secret = 'token' in body ? (code ? null : body.token) : code ? ({ ex, email: body.email, code: body.code } satisfies CodeAttempt) : null
  const { userId } = await reset.complete(secret, body.password, clientOf(ex))
  kit.metrics.accountFlow('password_reset', 'completed')
  // Whoever took the account may have remembered a browser: none skips the second factor now.
  await forgetTrustedDevices(kit.ctx, ex, userId, 'password_reset')
  if (ex.auth?.user.id === userId && ex.auth.strategy !== 'bearer') kit.ctx.strategy.clearCookies(ex)
  const user = await kit.ctx.config.users.findById(userId)
  if (user) noticeChanged(kit, user)
  return empty(204)
}

/**
 * `POST /password`: the current password (under the sign-in limits; 401 when wrong), then the new
 * one (the policy; 400 with the reasons). Every OTHER session of the user ends; this one gets a new
 * token (the token strategy: a new access and refresh pair). Every remembered device is forgotten.
 */
async function changePassword(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const user = await signedInUser(kit, ex)
  const body = bodyOf(ex, changeBody, '{ "currentPassword": string, "newPassword": string }')
  await limitAccountRoute(kit, 'password_change', ex)
  if (!(await checkCurrentPassword(kit, ex, user, body.currentPassword))) {
    kit.ctx.audit(ex, { type: 'PASSWORD_CHANGED', outcome: 'failure', userId: user.id, reason: 'bad_password' })
    throw unauthorized('Invalid password.')
  }
  const newPassword = await acceptNewPassword(kit, body.newPassword)
  const { users, sessions, passwords } = kit.ctx.config
  await users.setPasswordHash!(user.id, await passwords.hash(newPassword))
  const current = ex.auth!
  // Whoever else holds a session (the reason to change a password) loses it now. Their refresh
  // families are bound to those sessions: the next refresh of any of them fails and revokes it.
  const ended = await sessions.revokeAllForUser(user.id, { except: current.session.id, reason: 'password_change' }, clientOf(ex))
  // As with the other sessions: a browser someone else remembered must not skip the second factor.
  await forgetTrustedDevices(kit.ctx, ex, user.id, 'password_change')
  if (current.strategy !== 'bearer') {
    // A session that ended meanwhile has nothing to renew: the change itself stands.
    const renewed = await kit.ctx.strategy.renew(ex, user)
    if (renewed) ex.auth = renewed
  }
  kit.ctx.audit(ex, { type: 'PASSWORD_CHANGED', outcome: 'success', userId: user.id, sessionId: current.session.id, data: { sessionsEnded: ended } })
  noticeChanged(kit, user)
  return empty(204)
}
