import { createAuthMetrics, createPasswordSignIn, createPasswordVerifier } from '@acme/auth-core'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import { json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, forbidden, tooManyRequests, unauthorized } from '../errors/problem-error.js'
import { clientOf } from '../strategies/session-strategy.js'
import type { TokenStrategy } from '../strategies/token-strategy.js'
import { decideFirstFactor, signInThroughGate } from '../core/sign-in-gate.js'
import { nativeSignIn } from './token-routes.js'
import { normalizeEmail, publicUser } from './public-user.js'

const loginBody = v.object({
  email: v.pipe(v.string(), v.minLength(1), v.maxLength(320)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  client: v.optional(v.picklist(['browser', 'native'])),
})

/**
 * `POST /login`: core's password sign-in (limits, a dummy hash for unknown emails, transparent
 * rehash, audit, metrics), then core's MFA gate: a NEW session, or (a second factor enrolled)
 * `{ mfaRequired: true, methods }` with only the `__Host-mfa` cookie. Every failure gets the
 * same generic answer.
 */
export function loginRoute(ctx: AuthContext, tokenStrategy: TokenStrategy | undefined): (ex: Exchange) => Promise<Answer> {
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

  return async (ex) => {
    const parsed = v.safeParse(loginBody, ex.body)
    if (!parsed.success) throw badRequest('Expected a JSON body { "email": string, "password": string }.')
    if (parsed.output.client === 'native' && ctx.config.tokens?.nativeClients !== true) {
      throw new ProblemError(problem(403, 'native-clients-disabled', 'Forbidden', 'Native clients are not enabled.'))
    }
    const email = normalizeEmail(parsed.output.email)
    const result = await passwordSignIn.signIn({ login: email, password: parsed.output.password }, clientOf(ex))
    if (!result.ok) {
      if (result.retryAfterSeconds !== undefined) throw tooManyRequests(result.retryAfterSeconds)
      throw unauthorized('Invalid email or password.')
    }
    const user = await users.findById(result.userId)
    if (!user) throw unauthorized('Invalid email or password.')
    // Only after the right password: the answer then tells nothing to someone who does not know it.
    if (ctx.config.accounts?.verification === 'required' && user.emailVerified === false) {
      throw new ProblemError(problem(403, 'email-unverified', 'Forbidden', 'Confirm your email address first: follow the link we sent.'))
    }
    if (parsed.output.client === 'native') {
      const decision = await decideFirstFactor(ctx, ex, user.id, { method: 'password' })
      // A native client has no cookie jar for the pending sign-in: fail closed.
      if (decision.status === 'mfa_required') throw forbidden('mfa-native-unsupported', 'This account has a second factor: sign in from the browser.')
      return json(await nativeSignIn(ctx, tokenStrategy, ex, user, decision.level))
    }
    const outcome = await signInThroughGate(ctx, ex, user, { method: 'password' })
    if (outcome.mfaRequired) return json({ mfaRequired: true, methods: outcome.methods })
    return json({ user: publicUser(user, outcome.auth.user.roles), csrfToken: outcome.csrfToken })
  }
}
