import { AuthError, timingSafeEqual, type FirstFactor } from '@acme/auth-core'
import { signInThroughGate } from '../core/sign-in-gate.js'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import { json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { problem } from '../errors/problem.js'
import { ProblemError } from '../errors/problem-error.js'
import { offRequestPath } from '../accounts/account-mail.js'
import { mailOneTime } from '../accounts/one-time-mail.js'
import { isChangeToken } from '../accounts/account-tokens.js'
import { completeEmailChange, emailChangeRoutes } from './email-change-routes.js'
import { accepted, acceptNewPassword, bodyOf, createAccountKit, email, limitAccountRoute, noReferrer, password, token, type AccountKit } from '../accounts/account-kit.js'
import type { DirectoryUser } from '../core/user-directory.js'
import { linkedAccountRoutes } from './linked-account-routes.js'
import { passwordRoutes } from './password-routes.js'
import { publicUser } from './public-user.js'

const signupBody = v.object({ email, password, name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))) })
const emailBody = v.object({ email })
const verifyBody = v.union([v.object({ token }), v.object({ email, code: v.pipe(v.string(), v.maxLength(16)) })])

/**
 * The account routes of the contract ("Accounts"), each present only when `accounts` is
 * configured and the user directory (and, for mail, the mailer) can serve it; a route that is not
 * present answers 404 like an unknown one.
 */
export function accountRoutes(ctx: AuthContext): Route[] {
  const config = ctx.config.accounts
  if (!config) return []
  const kit = createAccountKit(ctx, config)
  const users = ctx.config.users
  const mails = config.mailer !== undefined
  const routes: Route[] = []
  const add = (method: Route['method'], path: string, handle: Route['handle']) => routes.push({ method, path, handle })

  const verifying = config.verification === 'required'
  if (users.create && (!verifying || (mails && users.markEmailVerified && users.setPasswordHash))) add('POST', '/signup', (ex) => signup(kit, ex))
  if (users.markEmailVerified) {
    if (mails) add('POST', '/email/verification', (ex) => resendVerification(kit, ex))
    add('POST', '/email/verify', (ex) => verifyEmail(kit, ex))
  }
  routes.push(...passwordRoutes(kit), ...linkedAccountRoutes(kit), ...emailChangeRoutes(kit))
  return routes
}

/** Issues a verification link (or code) for `user` and mails it (off the request path). */
export async function mailVerification(kit: AccountKit, ex: Exchange, user: DirectoryUser): Promise<void> {
  await mailOneTime(kit, 'verification', user)
  kit.ctx.audit(ex, { type: 'EMAIL_VERIFICATION_SENT', outcome: 'success', userId: user.id })
  kit.metrics.accountFlow('email_verification', 'started')
}

/** Mails "you already have an account" with a reset link (or code): what a sign-up for a taken address gets. */
async function mailAlreadyRegistered(kit: AccountKit, ex: Exchange, user: DirectoryUser): Promise<void> {
  await mailOneTime(kit, 'alreadyRegistered', user)
  kit.ctx.audit(ex, { type: 'PASSWORD_RESET_REQUESTED', outcome: 'success', userId: user.id, reason: 'signup_existing' })
  kit.metrics.accountFlow('password_reset', 'started')
}

/**
 * `POST /signup`. The password policy and the hash come first, for every address alike; with
 * verification required, everything that depends on the address existing happens off the request
 * path and the answer is the same 202.
 */
async function signup(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const body = bodyOf(ex, signupBody, '{ "email": string, "password": string, "name": string }')
  await limitAccountRoute(kit, 'signup', ex, body.email)
  const newPassword = await acceptNewPassword(kit, body.password)
  const passwordHash = await kit.ctx.config.passwords.hash(newPassword)
  const users = kit.ctx.config.users
  const name = body.name || body.email.split('@', 1)[0]!
  if (kit.config.verification === 'off') {
    const user = await users.create!({ email: body.email, name, passwordHash, emailVerified: true })
    if (!user) throw new ProblemError(problem(409, 'account-exists', 'Conflict', 'An account with this email address already exists.'))
    kit.ctx.audit(ex, { type: 'ACCOUNT_CREATED', outcome: 'success', userId: user.id })
    return signedIn(kit, ex, user, { method: 'password' }, 201)
  }
  offRequestPath('sign-up', async () => {
    const existing = await users.findByEmail(body.email)
    if (existing) return mailAlreadyRegistered(kit, ex, existing)
    const created = await users.create!({ email: body.email, name, passwordHash, emailVerified: false })
    // Lost a race with another sign-up for the address: that one is the account.
    if (!created) {
      const winner = await users.findByEmail(body.email)
      return winner ? mailAlreadyRegistered(kit, ex, winner) : undefined
    }
    kit.ctx.audit(ex, { type: 'ACCOUNT_CREATED', outcome: 'success', userId: created.id })
    await mailVerification(kit, ex, created)
  })
  return json({ status: 'verification_sent' }, 202)
}

/** `POST /email/verification`: (re)sends the link to an unverified address; 202 for every address. */
async function resendVerification(kit: AccountKit, ex: Exchange): Promise<Answer> {
  const body = bodyOf(ex, emailBody, '{ "email": string }')
  await limitAccountRoute(kit, 'email_verification', ex, body.email)
  offRequestPath('verification mail', async () => {
    const user = await kit.ctx.config.users.findByEmail(body.email)
    if (user && user.emailVerified === false) await mailVerification(kit, ex, user)
  })
  return accepted()
}

/**
 * `POST /email/verify` `{ token }` (or `{ email, code }`): uses the link up, marks the address
 * verified — or, for an email change's link, moves the account to its new address — and signs
 * in (a NEW session).
 */
async function verifyEmail(kit: AccountKit, ex: Exchange): Promise<Answer> {
  noReferrer(ex)
  const body = bodyOf(ex, verifyBody, kit.config.format === 'code' ? '{ "email": string, "code": string }' : '{ "token": string }')
  await limitAccountRoute(kit, 'email_verify', ex)
  const found = await consumeVerification(kit, ex, body)
  if (!found) {
    kit.ctx.audit(ex, { type: 'EMAIL_VERIFIED', outcome: 'failure', reason: 'invalid_token' })
    throw new AuthError('ERR_ONE_TIME_TOKEN_INVALID', 'The verification link is invalid, expired or already used')
  }
  const users = kit.ctx.config.users
  if (found.newEmail === undefined) {
    await users.markEmailVerified!(found.user.id, found.user.email)
  } else if (!(await completeEmailChange(kit, ex, found.user, found.newEmail))) {
    throw new AuthError('ERR_ONE_TIME_TOKEN_INVALID', 'The address is no longer available')
  }
  const user = (await users.findById(found.user.id)) ?? found.user
  kit.ctx.audit(ex, { type: 'EMAIL_VERIFIED', outcome: 'success', userId: user.id })
  kit.metrics.accountFlow(found.newEmail === undefined ? 'email_verification' : 'email_change', 'completed')
  return signedIn(kit, ex, { ...user, emailVerified: true }, { method: 'email_link' }, 200, 'email')
}

/** The user a verification (or email change) link or code is for, and the new address for a change. */
async function consumeVerification(kit: AccountKit, ex: Exchange, body: v.InferOutput<typeof verifyBody>): Promise<{ user: DirectoryUser; newEmail?: string } | null> {
  const users = kit.ctx.config.users
  if ('token' in body) {
    if (kit.config.format === 'code') return null
    if (isChangeToken(body.token)) return users.changeEmail ? kit.tokens.consumeChange(body.token) : null
    const user = await kit.tokens.consume(body.token, 'email_verification')
    return user && { user }
  }
  if (kit.config.format !== 'code') return null
  const used = await kit.codes.consume(ex, body.email, body.code, users.changeEmail ? ['email_verification', 'email_change'] : ['email_verification'])
  if (!used) return null
  const user = await users.findById(used.userId)
  if (!user) return null
  if (used.purpose === 'email_change') return { user, newEmail: body.email }
  // The code was sent to this address: it works while the account still has it.
  return timingSafeEqual(user.email, body.email) ? { user } : null
}

/**
 * Signs in through the one gate every first factor passes: a user with a second factor gets the
 * pending `__Host-mfa` cookie and `{ mfaRequired, methods }`, never a session from a link alone.
 */
async function signedIn(kit: AccountKit, ex: Exchange, user: DirectoryUser, firstFactor: FirstFactor, status: number, label?: string): Promise<Answer> {
  const outcome = await signInThroughGate(kit.ctx, ex, user, firstFactor, label)
  if (outcome.mfaRequired) return json({ mfaRequired: true, methods: outcome.methods })
  return json({ user: publicUser(user, outcome.auth.user.roles), csrfToken: outcome.csrfToken }, status)
}
