import * as v from 'valibot'
import { accepted, bodyOf, email, limitAccountRoute, password, requirePasswordOrFreshSignIn, signedInUser, type AccountKit } from '../accounts/account-kit.js'
import { offRequestPath, sendAccountMail } from '../accounts/account-mail.js'
import { mailOneTime } from '../accounts/one-time-mail.js'
import type { DirectoryUser } from '../core/user-directory.js'
import { badRequest } from '../errors/problem-error.js'
import type { Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'

const changeBody = v.object({ newEmail: email, password: v.optional(password) })

/**
 * `POST /email/change` `{ newEmail, password }` (or no password right after signing in), when the
 * directory can `changeEmail` and `markEmailVerified` and a mailer is set. The account keeps its
 * address until the new one is confirmed: a link (or code) goes to the NEW address and
 * `POST /email/verify` with it moves the account there.
 */
export function emailChangeRoutes(kit: AccountKit): Route[] {
  const users = kit.ctx.config.users
  if (!users.changeEmail || !users.markEmailVerified || !kit.config.mailer) return []
  return [{ method: 'POST', path: '/email/change', handle: (ex) => requestChange(kit, ex) }]
}

/**
 * The same 202 whether or not the new address has an account: the old address hears of the
 * request either way, and then the new one gets the link — or, when it already has an account,
 * its owner gets a notice instead. All of it off the request path.
 */
async function requestChange(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const user = await signedInUser(kit, ex)
  const body = bodyOf(ex, changeBody, '{ "newEmail": string, "password": string }')
  await limitAccountRoute(kit, 'email_change', ex, body.newEmail)
  await requirePasswordOrFreshSignIn(kit, ex, user, body.password, 'to change the email address')
  if (body.newEmail === user.email) throw badRequest('That is already the account’s address.')
  offRequestPath('email-change mail', async () => {
    await sendAccountMail(kit.config, 'emailChangeNotice', user.email, { newEmail: body.newEmail })
    const taken = await kit.ctx.config.users.findByEmail(body.newEmail)
    if (taken) return sendAccountMail(kit.config, 'emailInUse', body.newEmail, {})
    await mailOneTime(kit, 'emailChange', user, body.newEmail)
    kit.ctx.audit(ex, { type: 'EMAIL_CHANGE_REQUESTED', outcome: 'success', userId: user.id })
    kit.metrics.accountFlow('email_change', 'started')
  })
  return accepted()
}

/**
 * Moves `user` to `newEmail` (confirmed by its link or code): `false` when the address has an
 * account by now. Links and codes mailed to the old address stop working (they are bound to it).
 */
export async function completeEmailChange(kit: AccountKit, ex: Exchange, user: DirectoryUser, newEmail: string): Promise<boolean> {
  const moved = await kit.ctx.config.users.changeEmail!(user.id, newEmail)
  kit.ctx.audit(ex, { type: 'EMAIL_CHANGED', outcome: moved ? 'success' : 'failure', userId: user.id, ...(moved ? {} : { reason: 'address_taken' }) })
  return moved
}
