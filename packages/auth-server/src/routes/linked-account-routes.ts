import * as v from 'valibot'
import { bodyOf, limitAccountRoute, password, requirePasswordOrFreshSignIn, signedInUser, type AccountKit } from '../accounts/account-kit.js'
import { forgetTrustedDevices } from '../core/trusted-device-cookie.js'
import type { DirectoryUser, LinkedAccount } from '../core/user-directory.js'
import { empty, json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, notFound } from '../errors/problem-error.js'
import { clientOf } from '../strategies/session-strategy.js'

const providerPattern = /^[a-z0-9_-]{1,32}$/
const deleteBody = v.optional(v.object({ password: v.optional(password) }))

/** `GET /accounts` and `DELETE /accounts/:provider` (with `listAccounts`), `DELETE /account` (with `delete`). */
export function linkedAccountRoutes(kit: AccountKit): Route[] {
  const users = kit.ctx.config.users
  const routes: Route[] = []
  if (users.listAccounts) {
    routes.push({ method: 'GET', path: '/accounts', handle: (ex) => listAccounts(kit, ex) })
    if (users.unlinkAccount) routes.push({ method: 'DELETE', path: '/accounts/:provider', handle: (ex, params) => unlink(kit, ex, params.provider) })
  }
  if (users.delete) routes.push({ method: 'DELETE', path: '/account', handle: (ex) => deleteAccount(kit, ex) })
  return routes
}

const isoOf = (time: LinkedAccount['linkedAt'] | null | undefined): string | null => {
  if (time === null || time === undefined) return null
  const date = time instanceof Date ? time : new Date(time)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** Every way to sign in to the account: `password` when it has a password hash, then its providers. */
async function methodsOf(kit: AccountKit, user: DirectoryUser): Promise<{ provider: string; linkedAt: string | null }[]> {
  const linked = await kit.ctx.config.users.listAccounts!(user.id)
  const providers = linked.filter((account) => account.provider !== 'password').map((account) => ({ provider: account.provider, linkedAt: isoOf(account.linkedAt) }))
  return typeof user.passwordHash === 'string' && user.passwordHash !== ''
    ? [{ provider: 'password', linkedAt: isoOf(user.passwordSetAt) }, ...providers]
    : providers
}

/** `GET /accounts`: `[{ provider, linkedAt }]`. */
async function listAccounts(kit: AccountKit, ex: Exchange): Promise<Answer> {
  return json(await methodsOf(kit, await signedInUser(kit, ex)))
}

/** `DELETE /accounts/:provider`: 404 when not linked; 409 when it is the last way to sign in. */
async function unlink(kit: AccountKit, ex: Exchange, provider: string | undefined): Promise<Answer> {
  const user = await signedInUser(kit, ex)
  if (typeof provider !== 'string' || !providerPattern.test(provider)) throw badRequest('Malformed provider name.')
  const methods = await methodsOf(kit, user)
  if (!methods.some((method) => method.provider === provider)) throw notFound()
  if (methods.length === 1) {
    throw new ProblemError(problem(409, 'last-sign-in-method', 'Conflict', 'This is the only way to sign in to the account: link another first.'))
  }
  const users = kit.ctx.config.users
  if (provider === 'password') {
    if (!users.setPasswordHash) throw notFound()
    await users.setPasswordHash(user.id, null)
  } else if (!(await users.unlinkAccount!(user.id, provider))) {
    throw notFound()
  }
  kit.ctx.audit(ex, { type: 'ACCOUNT_UNLINKED', outcome: 'success', userId: user.id, data: { provider } })
  return empty(204)
}

/**
 * `DELETE /account`: with the password (under the sign-in limits), or a sign-in fresher than
 * `freshSignInSeconds`. Every credential goes first — one-time tokens, sessions (which forgets
 * their provider tokens through `onSessionEnd`), refresh families, remembered devices — then the user.
 */
async function deleteAccount(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const user = await signedInUser(kit, ex)
  const body = bodyOf(ex, deleteBody, '{ "password": string } (or none, right after signing in)')
  await limitAccountRoute(kit, 'account_delete', ex)
  const auth = ex.auth!
  await requirePasswordOrFreshSignIn(kit, ex, user, body?.password, 'to delete the account')
  const { sessions, tokens, users } = kit.ctx.config
  const context = clientOf(ex)
  await kit.config.tokens.revokeAllForUser(user.id)
  const ended = await sessions.revokeAllForUser(user.id, { reason: 'account_gone' }, context)
  const families = (await tokens?.refreshFamilies.revokeAllForUser(user.id, context)) ?? 0
  await forgetTrustedDevices(kit.ctx, ex, user.id, 'account_gone')
  await users.delete!(user.id)
  if (auth.strategy !== 'bearer') kit.ctx.strategy.clearCookies(ex)
  kit.ctx.audit(ex, { type: 'ACCOUNT_DELETED', outcome: 'success', userId: user.id, data: { sessionsEnded: ended, refreshFamiliesEnded: families } })
  return empty(204)
}
