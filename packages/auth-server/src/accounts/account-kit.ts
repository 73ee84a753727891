import { createAuthMetrics, createPasswordVerifier, type AuthMetrics, type PasswordVerifier, type RateLimitName } from '@acme/auth-core'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import type { DirectoryUser } from '../core/user-directory.js'
import { passwordPolicyProblem } from '../errors/to-problem.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, tooManyRequests, unauthorized } from '../errors/problem-error.js'
import { json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { normalizeEmail } from '../routes/public-user.js'
import { consumeKeyLimit, consumeRouteLimit } from '../routes/route-limits.js'
import type { AccountsConfig } from './accounts-config.js'
import { addressDigest, createAccountTokens, type AccountTokens } from './account-tokens.js'
import { createAccountCodes, type AccountCodes } from './account-codes.js'

/** What every account route shares. Internal. */
export interface AccountKit {
  ctx: AuthContext
  config: AccountsConfig
  tokens: AccountTokens
  /** 6-digit codes, used instead of `tokens` with `accounts.tokens.format: 'code'`. */
  codes: AccountCodes
  metrics: AuthMetrics
  verifier: PasswordVerifier
}

export function createAccountKit(ctx: AuthContext, config: AccountsConfig): AccountKit {
  const metrics = createAuthMetrics()
  return {
    ctx,
    config,
    tokens: createAccountTokens(config, ctx.config.secret, ctx.config.users),
    codes: createAccountCodes(config, ctx.config.secret, metrics),
    metrics,
    verifier: createPasswordVerifier({ hasher: ctx.config.passwords }),
  }
}

export const email = v.pipe(v.string(), v.maxLength(320), v.transform(normalizeEmail), v.regex(/^[^\s@]+@[^\s@]+$/))
export const password = v.pipe(v.string(), v.minLength(1), v.maxLength(4096))
export const token = v.pipe(v.string(), v.minLength(1), v.maxLength(600))

/** The parsed body, or a 400 that says what was expected. */
export function bodyOf<S extends v.GenericSchema>(ex: Exchange, schema: S, expected: string): v.InferOutput<S> {
  const parsed = v.safeParse(schema, ex.body)
  if (!parsed.success) throw badRequest(`Expected a JSON body ${expected}.`)
  return parsed.output
}

/** Counts the request against its route's per-IP limit and, given an address, its per-address limit. */
export async function limitAccountRoute(kit: AccountKit, name: RateLimitName, ex: Exchange, address?: string): Promise<void> {
  const { ipLimiter, addressLimiter } = kit.config
  if (ipLimiter) await consumeRouteLimit(ipLimiter, name, ex, kit.metrics)
  if (addressLimiter && address !== undefined) {
    await consumeKeyLimit(addressLimiter, name, `${name}|a:${addressDigest(kit.ctx.config.secret, 'limit', address).slice(0, 32)}`, kit.metrics)
  }
}

/** The new password, NFKC-normalised, or the 400 with the policy's reasons. */
export async function acceptNewPassword(kit: AccountKit, candidate: string): Promise<string> {
  const checked = await kit.config.policy.check(candidate)
  if (!checked.ok) throw new ProblemError(passwordPolicyProblem(checked.violations))
  return checked.password
}

/** The signed-in user as the directory has them now, or 401. */
export async function signedInUser(kit: AccountKit, ex: Exchange): Promise<DirectoryUser> {
  const auth = ex.auth
  if (!auth) throw unauthorized()
  const user = await kit.ctx.config.users.findById(auth.user.id)
  if (!user) throw unauthorized()
  return user
}

/**
 * Checks the signed-in user's password under the sign-in limits (a guess here is a guess at the
 * password like any other): true, false, or a 429. Without a password hash it is always false,
 * after the same work (a dummy hash).
 */
export async function checkCurrentPassword(kit: AccountKit, ex: Exchange, user: DirectoryUser, candidate: string): Promise<boolean> {
  const limiter = kit.ctx.config.limiter
  const key = { account: user.email, ...(ex.ip === undefined ? {} : { ip: ex.ip }) }
  if (limiter) {
    const decision = await limiter.attempt(key)
    if (!decision.allowed) {
      kit.metrics.rateLimitRejection(decision.limit)
      throw tooManyRequests(decision.retryAfterSeconds)
    }
  }
  const verified = await kit.verifier.verify({ id: user.id, passwordHash: user.passwordHash ?? null }, candidate)
  if (verified.valid && limiter) await limiter.recordSuccess(key)
  return verified.valid
}

/**
 * A sensitive change (deleting the account, changing its address) needs the password (under the
 * sign-in limits; 401 when wrong) or, without one, a sign-in fresher than `freshSignInSeconds`
 * (else 401 `…/reauthenticate`).
 */
export async function requirePasswordOrFreshSignIn(kit: AccountKit, ex: Exchange, user: DirectoryUser, candidate: string | undefined, what: string): Promise<void> {
  if (candidate !== undefined) {
    if (!(await checkCurrentPassword(kit, ex, user, candidate))) throw unauthorized('Invalid password.')
    return
  }
  const session = ex.auth!.session
  if (session.authenticatedAt <= 0 || kit.config.clock.now() - session.authenticatedAt > kit.config.freshSignInMs) {
    throw new ProblemError(problem(401, 'reauthenticate', 'Unauthorized', `Sign in again, or give your password, ${what}.`))
  }
}

/** The same answer for every address: whether it has an account is never told. */
export const accepted = (): Answer => json({ status: 'accepted' }, 202)

/** Sets `Referrer-Policy: no-referrer`: a token in a URL must not leak to another origin through `Referer`. */
export const noReferrer = (ex: Exchange) => ex.setHeader('Referrer-Policy', 'no-referrer')
