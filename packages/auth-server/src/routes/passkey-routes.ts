import { createAuthMetrics, type PasskeyRecord } from '@acme/auth-core'
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
} from '@simplewebauthn/server'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import type { RequestAuth } from '../core/request-auth.js'
import { signInThroughGate, startSession } from '../core/sign-in-gate.js'
import { forgetTrustedDevices, rememberThisDevice } from '../core/trusted-device-cookie.js'
import type { SecondFactors } from '../config/second-factors-config.js'
import { clearAuthCookies } from '../cookies/cookie-policy.js'
import { readCookie } from '../cookies/cookie-header.js'
import { problem } from '../errors/problem.js'
import { ProblemError, badRequest, notFound, unauthorized } from '../errors/problem-error.js'
import { empty, json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import type { Route } from '../http/route-table.js'
import { clientOf, requireCookieWrites } from '../strategies/session-strategy.js'
import { publicUser } from './public-user.js'
import { requireFactorChange } from './factor-change-guard.js'
import { consumeRouteLimit } from './route-limits.js'

/** How long a WebAuthn challenge may be answered. */
const CHALLENGE_TTL_MS = 5 * 60_000
const idPattern = /^[A-Za-z0-9_-]{16,1368}$/

const b64 = v.pipe(v.string(), v.maxLength(16_384), v.regex(/^[A-Za-z0-9_-]*={0,2}$/))
const credentialShape = {
  id: v.pipe(b64, v.minLength(16)),
  rawId: b64,
  type: v.literal('public-key'),
  clientExtensionResults: v.optional(v.record(v.string(), v.unknown()), {}),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
}
const registrationBody = v.object({
  ...credentialShape,
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))),
  response: v.object({
    clientDataJSON: b64,
    attestationObject: b64,
    transports: v.optional(v.array(v.pipe(v.string(), v.maxLength(32)))),
  }),
})
const renameBody = v.object({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)) })
const authenticationBody = v.object({
  ...credentialShape,
  response: v.object({ clientDataJSON: b64, authenticatorData: b64, signature: b64, userHandle: v.optional(b64) }),
  /** Only when the passkey completes a pending sign-in: remember this browser (`secondFactors.rememberDevice`). */
  rememberDevice: v.optional(v.boolean(), false),
})

const invalidPasskey = (status: 400 | 401) =>
  new ProblemError(problem(status, 'passkey-invalid', status === 400 ? 'Bad Request' : 'Unauthorized', 'The passkey could not be verified.'))

const toIso = (at: number | null) => (at === null ? null : new Date(at).toISOString())
const listed = (record: PasskeyRecord) => ({ id: record.id, name: record.name, createdAt: toIso(record.createdAt), lastUsedAt: toIso(record.lastUsedAt) })
const userHandleOf = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url')

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Buffer.from(hash).toString('base64url')
}

/**
 * Passkeys (WebAuthn, `@simplewebauthn/server`): register (a fresh session; with a factor enrolled, one that proved it), list, delete, and
 * sign in with a discoverable credential, as the first factor (through the MFA gate: with user
 * verification it counts as two) or as the second one of a pending sign-in (`__Host-mfa`).
 * Challenges are kept server-side in the second-factor store, single use, 5 minutes; the RP ID
 * and origins are the server's configured origins.
 */
export function passkeyRoutes(ctx: AuthContext): Route[] {
  const origins = [...ctx.config.origins]
  const rpID = new URL(origins[0]!).hostname
  const route = (method: Route['method'], path: string, handle: (factors: SecondFactors, ex: Exchange, params: Readonly<Record<string, string>>) => Promise<Answer>): Route => ({
    method,
    path,
    handle: async (ex, params) => {
      const factors = ctx.config.secondFactors
      if (!factors) throw notFound()
      return handle(factors, ex, params)
    },
  })
  const metrics = createAuthMetrics()
  const signedIn = (ex: Exchange): RequestAuth => {
    if (!ex.auth) throw unauthorized()
    return ex.auth
  }

  /** A challenge is a pending record of the store: atomic single use on every instance. */
  const challengeId = (purpose: 'register' | 'login', challenge: string, userId: string) => digest(`acme-auth/webauthn:${purpose}:${userId}:${challenge}`)
  const rememberChallenge = async (factors: SecondFactors, purpose: 'register' | 'login', challenge: string, userId: string) => {
    const now = factors.clock.now()
    const id = await challengeId(purpose, challenge, userId)
    await factors.store.savePending({ id, userId: userId || 'webauthn', completed: [], methods: [`webauthn:${purpose}`], authLevel: '', attempts: 0, createdAt: now, expiresAt: now + CHALLENGE_TTL_MS }, now)
  }
  const consumeChallenge = (factors: SecondFactors, purpose: 'register' | 'login', userId: string) => async (challenge: string) => {
    if (typeof challenge !== 'string' || challenge.length > 512) return false
    const record = await factors.store.consumePending(await challengeId(purpose, challenge, userId), factors.clock.now())
    return record?.methods[0] === `webauthn:${purpose}`
  }
  /** The live pending sign-in of this request's `__Host-mfa` cookie, if any. */
  const pendingOf = async (factors: SecondFactors, ex: Exchange) => {
    const cookie = readCookie(ex.header('cookie'), ctx.cookies.names.mfa)
    if (cookie.kind !== 'value') return null
    const pending = await factors.gate.pending(cookie.value)
    return pending?.methods.includes('passkey') === true ? { token: cookie.value, ...pending } : null
  }

  return [
    /** `POST /passkeys/register/options` (a fresh session; with a factor enrolled, one that proved it): creation options for `navigator.credentials.create()`. */
    route('POST', '/passkeys/register/options', async (factors, ex) => {
      const auth = await requireFactorChange(factors, ex)
      const user = await ctx.config.users.findById(auth.user.id)
      if (!user) throw unauthorized()
      const existing = await factors.store.listPasskeys(user.id)
      const options = await generateRegistrationOptions({
        rpName: rpID,
        rpID,
        userName: user.email,
        userDisplayName: user.name,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        excludeCredentials: existing.map((record) => ({ id: record.id, transports: record.transports as AuthenticatorTransport[] })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
        timeout: CHALLENGE_TTL_MS,
      })
      await rememberChallenge(factors, 'register', options.challenge, user.id)
      return json(options)
    }),

    /** `POST /passkeys` (the attestation, plus an optional `name`): 201 and the new passkey. */
    route('POST', '/passkeys', async (factors, ex) => {
      const auth = signedIn(ex)
      const parsed = v.safeParse(registrationBody, ex.body)
      if (!parsed.success) throw badRequest('Expected a WebAuthn registration response.')
      const { name, ...response } = parsed.output
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>
      try {
        verified = await verifyRegistrationResponse({
          response,
          expectedChallenge: consumeChallenge(factors, 'register', auth.user.id),
          expectedOrigin: origins,
          expectedRPID: rpID,
          requireUserVerification: false,
        })
      } catch {
        throw invalidPasskey(400)
      }
      if (!verified.verified) throw invalidPasskey(400)
      const info = verified.registrationInfo
      const record: PasskeyRecord = {
        id: info.credential.id,
        userId: auth.user.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: (response.response.transports ?? []).slice(0, 8),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: name ?? 'Passkey',
        createdAt: factors.clock.now(),
        lastUsedAt: null,
      }
      if (!(await factors.store.savePasskey(record))) throw new ProblemError(problem(409, 'passkey-exists', 'Conflict', 'This passkey is already registered.'))
      ctx.audit(ex, { type: 'MFA_ENROLLED', outcome: 'success', userId: auth.user.id, data: { method: 'passkey' } })
      metrics.mfaEnrollment('passkey', 'enrolled')
      return json(listed(record), 201)
    }),

    /** `GET /passkeys`: the signed-in user's passkeys. */
    route('GET', '/passkeys', async (factors, ex) => json((await factors.store.listPasskeys(signedIn(ex).user.id)).map(listed))),

    /** `PATCH /passkeys/:id` `{ name }`: renames one of your passkeys; 404 for an id that is not yours. */
    route('PATCH', '/passkeys/:id', async (factors, ex, params) => {
      const auth = signedIn(ex)
      const id = params.id ?? ''
      const parsed = v.safeParse(renameBody, ex.body)
      if (!parsed.success) throw badRequest('Expected a JSON body { "name": string } of at most 64 characters.')
      if (!idPattern.test(id) || !(await factors.store.renamePasskey(auth.user.id, id, parsed.output.name))) throw notFound()
      const record = await factors.store.getPasskey(id)
      if (record?.userId !== auth.user.id) throw notFound()
      return json(listed(record))
    }),

    /** `DELETE /passkeys/:id` (a fresh session; with a factor enrolled, one that proved it): 204; 404 for an id that is not yours. The last passkey takes the remembered devices with it. */
    route('DELETE', '/passkeys/:id', async (factors, ex, params) => {
      const auth = await requireFactorChange(factors, ex)
      const id = params.id ?? ''
      if (!idPattern.test(id) || !(await factors.store.deletePasskey(auth.user.id, id))) throw notFound()
      ctx.audit(ex, { type: 'MFA_REMOVED', outcome: 'success', userId: auth.user.id, data: { method: 'passkey' } })
      metrics.mfaEnrollment('passkey', 'removed')
      if ((await factors.store.listPasskeys(auth.user.id)).length === 0) await forgetTrustedDevices(ctx, ex, auth.user.id, 'factor_removed')
      return empty(204)
    }),

    /**
     * `POST /passkeys/login/options`: request options for a discoverable credential (no email
     * needed); with a pending sign-in (`__Host-mfa`), limited to that user's passkeys.
     */
    route('POST', '/passkeys/login/options', async (factors, ex) => {
      // Anonymous and a store write each: per IP.
      if (factors.ipLimiter) await consumeRouteLimit(factors.ipLimiter, 'passkey_login_options', ex, metrics)
      const pending = await pendingOf(factors, ex)
      const allow = pending ? await factors.store.listPasskeys(pending.userId) : []
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: 'preferred',
        timeout: CHALLENGE_TTL_MS,
        allowCredentials: allow.map((record) => ({ id: record.id, transports: record.transports as AuthenticatorTransport[] })),
      })
      await rememberChallenge(factors, 'login', options.challenge, '')
      return json(options)
    }),

    /**
     * `POST /passkeys/login` (the assertion): the signature, origin, RP ID, single-use challenge
     * and counter are checked, then the gate decides: `{ user, csrfToken }` and a NEW session, or
     * `{ mfaRequired, methods }`. With a pending sign-in, the passkey completes it as the second factor.
     */
    route('POST', '/passkeys/login', async (factors, ex) => {
      if (factors.ipLimiter) await consumeRouteLimit(factors.ipLimiter, 'passkey_login', ex, metrics)
      const parsed = v.safeParse(authenticationBody, ex.body)
      if (!parsed.success) throw badRequest('Expected a WebAuthn authentication response.')
      requireCookieWrites(ex, 'POST /passkeys/login')
      const { rememberDevice, ...credential } = parsed.output
      const response = credential as AuthenticationResponseJSON
      const record = await factors.store.getPasskey(response.id)
      if (!record) throw invalidPasskey(401)
      // A discoverable credential names its user: it must be the credential's owner.
      if (response.response.userHandle !== undefined && response.response.userHandle !== userHandleOf(record.userId)) throw invalidPasskey(401)
      let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>> | null = null
      try {
        verified = await verifyAuthenticationResponse({
          response,
          expectedChallenge: consumeChallenge(factors, 'login', ''),
          expectedOrigin: origins,
          expectedRPID: rpID,
          credential: { id: record.id, publicKey: Buffer.from(record.publicKey, 'base64url'), counter: record.counter, transports: record.transports },
          requireUserVerification: false,
        })
      } catch {
        // Refused below, with the answer that did not verify.
      }
      if (!verified?.verified) {
        // A forged signature, another origin, a reused or unknown challenge, a counter that went back.
        ctx.audit(ex, { type: 'MFA_FAILED', outcome: 'failure', userId: record.userId, reason: 'invalid', data: { method: 'passkey' } })
        metrics.mfaVerification('passkey', 'invalid')
        throw invalidPasskey(401)
      }
      const info = verified.authenticationInfo
      // Compare-and-set on the counter: two sign-ins with one assertion cannot both pass.
      const used = await factors.store.updatePasskeyUse(record.userId, record.id, record.counter, {
        counter: info.newCounter,
        backedUp: info.credentialBackedUp,
        lastUsedAt: factors.clock.now(),
      })
      if (!used) throw invalidPasskey(401)
      const user = await ctx.config.users.findById(record.userId)
      if (!user) throw invalidPasskey(401)

      const pending = await pendingOf(factors, ex)
      if (pending) {
        const result = await factors.gate.completeWithPasskey(pending.token, record.userId, clientOf(ex))
        if (!result.ok) throw invalidPasskey(401)
        // Counted where the gate audits MFA_VERIFIED: the passkey answered a pending sign-in.
        metrics.mfaVerification('passkey', 'success')
        clearAuthCookies(ex, ctx.cookies, ['mfa'])
        const { auth, csrfToken } = await startSession(ctx, ex, user, result.session)
        if (rememberDevice) await rememberThisDevice(ctx, ex, user.id)
        ctx.audit(ex, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: auth.session.id, reason: auth.session.authLevel })
        return json({ user: publicUser(user, auth.user.roles), csrfToken })
      }
      const outcome = await signInThroughGate(ctx, ex, user, { method: 'passkey', userVerified: info.userVerified })
      if (outcome.mfaRequired) return json({ mfaRequired: true, methods: outcome.methods })
      const { session } = outcome.auth
      ctx.audit(ex, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: session.id, reason: session.authLevel })
      return json({ user: publicUser(user, outcome.auth.user.roles), csrfToken: outcome.csrfToken })
    }),
  ]
}
