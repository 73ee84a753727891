import { createAuthMetrics, sessionAmr, sessionFactors, type FactorCheck, type MfaVerification } from '@acme/auth-core'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import type { RequestAuth } from '../core/request-auth.js'
import { startSession } from '../core/sign-in-gate.js'
import { forgetTrustedDevices, rememberThisDevice } from '../core/trusted-device-cookie.js'
import type { SecondFactors } from '../config/second-factors-config.js'
import { clearAuthCookies } from '../cookies/cookie-policy.js'
import { readCookie } from '../cookies/cookie-header.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, notFound, tooManyRequests, unauthorized } from '../errors/problem-error.js'
import { empty, json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { clientOf, requireCookieWrites } from '../strategies/session-strategy.js'
import { publicUser } from './public-user.js'
import { requireFactorChange } from './factor-change-guard.js'
import { consumeRouteLimit } from './route-limits.js'

const code = v.pipe(v.string(), v.minLength(1), v.maxLength(64))
const answerBody = v.object({ method: v.picklist(['totp', 'recovery']), code })
const verifyBody = v.object({ ...answerBody.entries, rememberDevice: v.optional(v.boolean(), false) })
const codeBody = v.object({ code })

const invalidCode = () => new ProblemError(problem(401, 'mfa-invalid-code', 'Unauthorized', 'The code is not valid.'))
const signInAgain = () => new ProblemError(problem(401, 'mfa-expired', 'Unauthorized', 'The sign-in expired: sign in again.'))

/** A refused code as HTTP: 429 with `Retry-After` when the user is rate limited, else 401. */
function refused(result: Extract<FactorCheck | MfaVerification, { ok: false }>): ProblemError {
  if (result.reason === 'rate_limited') return tooManyRequests(result.retryAfterSeconds ?? 1)
  if (result.reason === 'expired' || result.reason === 'too_many_attempts') return signInAgain()
  if (result.reason === 'method_not_allowed') return new ProblemError(problem(400, 'mfa-method-not-allowed', 'Bad Request', 'This sign-in cannot be completed with that method.'))
  return invalidCode()
}

function parse<T extends v.GenericSchema>(schema: T, body: unknown, expected: string): v.InferOutput<T> {
  const parsed = v.safeParse(schema, body)
  if (!parsed.success) throw badRequest(`Expected a JSON body ${expected}.`)
  return parsed.output
}

/**
 * The second-factor routes (with `secondFactors` configured; 404 otherwise): completing a pending
 * sign-in (`POST /mfa/verify`), TOTP enrollment and removal (a fresh session), recovery codes, and
 * step-up of the current session (`POST /mfa/step-up`).
 */
export function mfaRoutes(ctx: AuthContext): Route[] {
  const route = (method: Route['method'], path: string, handle: (factors: SecondFactors, ex: Exchange) => Promise<Answer>): Route => ({
    method,
    path,
    handle: async (ex) => {
      const factors = ctx.config.secondFactors
      if (!factors) throw notFound()
      return handle(factors, ex)
    },
  })
  const signedIn = (ex: Exchange): RequestAuth => {
    if (!ex.auth) throw unauthorized()
    return ex.auth
  }
  const userOf = async (auth: RequestAuth) => {
    const user = await ctx.config.users.findById(auth.user.id)
    if (!user) throw unauthorized()
    return user
  }
  const metrics = createAuthMetrics()
  const totpOf = (factors: SecondFactors) => {
    if (!factors.totp) throw notFound()
    return factors.totp
  }

  return [
    /**
     * `POST /mfa/verify` `{ method, code, rememberDevice? }`: the pending sign-in of `__Host-mfa`
     * becomes a NEW session; with `rememberDevice: true` (and `rememberDevice` configured) this
     * browser gets the `__Host-device` cookie too.
     */
    route('POST', '/mfa/verify', async (factors, ex) => {
      // Per IP, before anything else: many users' pending sign-ins from one place share a budget.
      if (factors.ipLimiter) await consumeRouteLimit(factors.ipLimiter, 'mfa_verify', ex, metrics)
      const { rememberDevice, ...answer } = parse(verifyBody, ex.body, '{ "method": "totp" | "recovery", "code": string, "rememberDevice"?: boolean }')
      requireCookieWrites(ex, 'POST /mfa/verify')
      const pending = readCookie(ex.header('cookie'), ctx.cookies.names.mfa)
      if (pending.kind !== 'value') {
        if (pending.kind === 'duplicate') clearAuthCookies(ex, ctx.cookies, ['mfa'])
        throw signInAgain()
      }
      const result = await factors.gate.verify(pending.value, answer, clientOf(ex))
      if (!result.ok) {
        // Spent (used, expired, burnt): the cookie goes with it; a wrong code may be retried.
        if (result.reason === 'expired' || result.reason === 'too_many_attempts') clearAuthCookies(ex, ctx.cookies, ['mfa'])
        throw refused(result)
      }
      clearAuthCookies(ex, ctx.cookies, ['mfa'])
      const user = await ctx.config.users.findById(result.userId)
      if (!user) throw signInAgain()
      const { auth, csrfToken } = await startSession(ctx, ex, user, result.session)
      if (rememberDevice) await rememberThisDevice(ctx, ex, user.id)
      ctx.audit(ex, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: auth.session.id, reason: auth.session.authLevel })
      return json({ user: publicUser(user, auth.user.roles), csrfToken })
    }),

    /**
     * `GET /mfa/pending`: whether this browser's `__Host-mfa` cookie holds a live pending sign-in,
     * and its methods — for a page a redirect landed on (an OAuth sign-in that needs a factor).
     * It names no user: the pending cookie alone stays anonymous.
     */
    route('GET', '/mfa/pending', async (factors, ex) => {
      const cookie = readCookie(ex.header('cookie'), ctx.cookies.names.mfa)
      const pending = cookie.kind === 'value' ? await factors.gate.pending(cookie.value) : null
      if (!pending) return json({ mfaRequired: false, methods: [] })
      return json({ mfaRequired: true, methods: pending.methods, expiresAt: new Date(pending.expiresAt).toISOString() })
    }),

    /** `GET /mfa`: the signed-in user's factors, for a security page. */
    route('GET', '/mfa', async (factors, ex) => {
      const auth = signedIn(ex)
      const [totp, recoveryCodes, passkeys] = await Promise.all([
        factors.totp?.isEnrolled(auth.user.id) ?? false,
        factors.recoveryCodes.remaining(auth.user.id),
        factors.store.listPasskeys(auth.user.id),
      ])
      return json({ totp, recoveryCodes, passkeys: passkeys.length })
    }),

    /** `POST /mfa/totp` (a fresh session): a new secret as `{ otpauthUrl, qrSvg }`; 409 while a confirmed one exists. */
    route('POST', '/mfa/totp', async (factors, ex) => {
      const auth = await requireFactorChange(factors, ex)
      const user = await userOf(auth)
      const enrollment = await totpOf(factors).enroll(user.id, user.email)
      if (!enrollment) throw new ProblemError(problem(409, 'mfa-already-enrolled', 'Conflict', 'Remove the current authenticator first.'))
      return json({ otpauthUrl: enrollment.otpauthUrl, qrSvg: enrollment.qrSvg })
    }),

    /** `POST /mfa/totp/confirm` `{ code }`: the first code makes the factor active; 10 recovery codes, shown once. */
    route('POST', '/mfa/totp/confirm', async (factors, ex) => {
      const auth = signedIn(ex)
      const body = parse(codeBody, ex.body, '{ "code": string }')
      const result = await totpOf(factors).confirm(auth.user.id, body.code, clientOf(ex))
      if (!result.ok) throw refused(result)
      return json({ recoveryCodes: await factors.recoveryCodes.generate(auth.user.id, clientOf(ex)) })
    }),

    /**
     * `DELETE /mfa/totp` (a fresh session): 204; the recovery codes go too when no other factor is
     * left, and the remembered devices always (they stood for a factor that may be why it goes).
     */
    route('DELETE', '/mfa/totp', async (factors, ex) => {
      const auth = await requireFactorChange(factors, ex)
      await totpOf(factors).remove(auth.user.id, clientOf(ex))
      if ((await factors.store.listPasskeys(auth.user.id)).length === 0) {
        await factors.store.replaceRecoveryCodes(auth.user.id, [], factors.clock.now())
      }
      await forgetTrustedDevices(ctx, ex, auth.user.id, 'factor_removed')
      return empty(204)
    }),

    /** `POST /mfa/recovery-codes` (a fresh session, a factor enrolled): 10 new codes, the old ones void. */
    route('POST', '/mfa/recovery-codes', async (factors, ex) => {
      const auth = await requireFactorChange(factors, ex)
      const enrolled = (await factors.totp?.isEnrolled(auth.user.id)) === true || (await factors.store.listPasskeys(auth.user.id)).length > 0
      if (!enrolled) throw new ProblemError(problem(409, 'mfa-not-enrolled', 'Conflict', 'Enroll a second factor first.'))
      return json({ recoveryCodes: await factors.recoveryCodes.generate(auth.user.id, clientOf(ex)) })
    }),

    /**
     * `POST /mfa/step-up` `{ method, code }`: a factor proven now raises the CURRENT session to
     * `authLevel: 'mfa'` (no new sign-in): the session strategy rotates its token, the token
     * strategy replaces its session.
     */
    route('POST', '/mfa/step-up', async (factors, ex) => {
      const auth = signedIn(ex)
      if (auth.strategy === 'bearer') throw new ProblemError(problem(403, 'mfa-native-unsupported', 'Forbidden', 'Step up from the browser.'))
      const answer = parse(answerBody, ex.body, '{ "method": "totp" | "recovery", "code": string }')
      const userId = auth.user.id
      const result =
        answer.method === 'totp' ? await totpOf(factors).verify(userId, answer.code, clientOf(ex)) : await factors.recoveryCodes.consume(userId, answer.code, clientOf(ex))
      if (!result.ok) throw refused(result)
      const session = await ctx.config.sessions.touch(auth.session.id)
      if (!session) throw unauthorized()
      const factorsSoFar = [...sessionFactors(session), { method: 'otp', at: factors.clock.now() }]
      const amr = [...new Set([...sessionAmr(session).filter((method) => method !== 'mfa'), 'otp', 'mfa'])]
      const raised = await ctx.strategy.elevate(ex, await userOf(auth), { authLevel: 'mfa', amr, factors: factorsSoFar.slice(-16) })
      if (!raised) throw unauthorized()
      ex.auth = raised
      const user = await userOf(raised)
      return json({
        user: publicUser(user, raised.user.roles),
        session: { authLevel: raised.session.authLevel, amr },
        csrfToken: ctx.csrfTokenFor(ex, raised.session.id),
      })
    }),
  ]
}
