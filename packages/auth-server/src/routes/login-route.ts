import type { RequestHandler } from 'express'
import * as v from 'valibot'
import type { AuthContext } from '../auth-context.js'
import { randomBytes } from 'node:crypto'
import { badRequest, tooManyRequests, unauthorized } from '../problem-error.js'
import { normalizeEmail, publicUser } from './public-user.js'

const loginBody = v.object({
  email: v.pipe(v.string(), v.minLength(1), v.maxLength(320)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  client: v.optional(v.picklist(['browser', 'native'])),
})

/** Longer passwords cannot exist (the policy caps them), so they are refused without hashing. */
const maxPasswordLength = 256
const genericFailure = 'Invalid email or password.'

/** `POST /login`: the generic error for every failure, in about the same time, with limits. */
export function loginRoute(ctx: AuthContext): RequestHandler {
  const { users, passwords, limiter } = ctx.config
  let dummyHash: Promise<string> | undefined
  // An unknown email still costs one real verify, against a hash of a random password, so the
  // answer's timing does not tell which emails have accounts.
  const dummy = () => (dummyHash ??= passwords.hash(randomBytes(24).toString('base64url')))

  return async (req, res) => {
    const parsed = v.safeParse(loginBody, req.body)
    if (!parsed.success) throw badRequest('Expected a JSON body { "email": string, "password": string }.')
    const { password } = parsed.output
    const email = normalizeEmail(parsed.output.email)
    const attempt = { ip: req.ip ?? 'unknown', account: email }

    const allowed = await limiter?.check(attempt)
    if (allowed && !allowed.allowed) {
      ctx.audit(req, { type: 'LOGIN_FAILED', outcome: 'failure', reason: 'rate_limited' })
      throw tooManyRequests(allowed.retryAfterSeconds)
    }

    const user = await users.findByEmail(email)
    const hash = user?.passwordHash ?? (await dummy())
    const valid = password.length <= maxPasswordLength && (await passwords.verify(hash, password))
    if (!user || !user.passwordHash || !valid) {
      const after = await limiter?.recordFailure(attempt)
      ctx.audit(req, {
        type: 'LOGIN_FAILED',
        outcome: 'failure',
        reason: user ? 'bad_password' : 'unknown_user',
        ...(user ? { userId: user.id } : {}),
      })
      if (after && !after.allowed) throw tooManyRequests(after.retryAfterSeconds)
      throw unauthorized(genericFailure)
    }

    await limiter?.recordSuccess(attempt)
    if (passwords.needsRehash(user.passwordHash) && users.updatePasswordHash) {
      // Transparent upgrade: the plaintext is in hand only now, at a successful sign-in.
      await users.updatePasswordHash(user.id, await passwords.hash(password))
    }
    const auth = await ctx.strategy.signIn(req, res, user, 'password')
    const csrfToken = ctx.csrfTokenFor(req, res, auth.session.id)
    ctx.audit(req, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: auth.session.id })
    res.json({ user: publicUser(user, auth.user.roles), csrfToken })
  }
}
