import { createAuthMetrics, createPasswordSignIn, createPasswordVerifier } from '@acme/auth-core'
import type { RequestHandler } from 'express'
import * as v from 'valibot'
import type { AuthContext } from '../auth-context.js'
import { problem } from '../problem.js'
import { ProblemError, badRequest, tooManyRequests, unauthorized } from '../problem-error.js'
import { clientOf } from '../session-strategy.js'
import type { TokenStrategy } from '../token-strategy.js'
import { nativeSignIn } from './token-routes.js'
import { normalizeEmail, publicUser } from './public-user.js'

const loginBody = v.object({
  email: v.pipe(v.string(), v.minLength(1), v.maxLength(320)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  client: v.optional(v.picklist(['browser', 'native'])),
})

/**
 * `POST /login`: core's password sign-in (limits, a dummy hash for unknown emails, transparent
 * rehash, audit, metrics), then a NEW session. Every failure gets the same generic answer.
 */
export function loginRoute(ctx: AuthContext, tokenStrategy: TokenStrategy | undefined): RequestHandler {
  const { users, passwords, limiter, audit } = ctx.config
  const passwordSignIn = createPasswordSignIn({
    users: {
      find: async (email) => {
        const user = await users.findByEmail(email)
        return user ? { id: user.id, passwordHash: user.passwordHash ?? null } : null
      },
      saveHash: (id, hash) => users.updatePasswordHash?.(id, hash) ?? Promise.resolve(),
    },
    verifier: createPasswordVerifier({ hasher: passwords }),
    ...(limiter ? { limiter } : {}),
    audit,
    metrics: createAuthMetrics(),
  })

  return async (req, res) => {
    const parsed = v.safeParse(loginBody, req.body)
    if (!parsed.success) throw badRequest('Expected a JSON body { "email": string, "password": string }.')
    if (parsed.output.client === 'native' && ctx.config.tokens?.nativeClients !== true) {
      throw new ProblemError(problem(403, 'native-clients-disabled', 'Forbidden', 'Native clients are not enabled.'))
    }
    const email = normalizeEmail(parsed.output.email)
    const result = await passwordSignIn.signIn({ login: email, password: parsed.output.password }, clientOf(req))
    if (!result.ok) {
      if (result.retryAfterSeconds !== undefined) throw tooManyRequests(result.retryAfterSeconds)
      throw unauthorized('Invalid email or password.')
    }
    const user = await users.findById(result.userId)
    if (!user) throw unauthorized('Invalid email or password.')
    if (parsed.output.client === 'native') {
      res.json(await nativeSignIn(ctx, tokenStrategy, req, user))
      return
    }
    const auth = await ctx.strategy.signIn(req, res, user, 'password')
    const csrfToken = ctx.csrfTokenFor(req, res, auth.session.id)
    res.json({ user: publicUser(user, auth.user.roles), csrfToken })
  }
}
