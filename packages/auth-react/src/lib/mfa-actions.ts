import { FetchError } from 'ofetch'
import type { SessionUser } from '@acme/auth-core'
import { authQueryKeys } from '../query-keys.js'
import type { AuthRuntime } from './auth-runtime.js'
import { reloadSession } from './identity.js'
import { clearMfaChallenge, type MfaMethod } from './mfa-challenge.js'

/** A code for `POST /auth/mfa/verify` or `/auth/mfa/step-up`: a TOTP code or a recovery code. */
export interface MfaCodeInput {
  method: Extract<MfaMethod, 'totp' | 'recovery'>
  code: string
}

/** What `POST /auth/mfa/verify` takes: a code, and whether to remember this browser (`secondFactors.rememberDevice` on the server). */
export interface MfaVerifyInput extends MfaCodeInput {
  /** Skip the challenge on this browser's next sign-ins (as long as the server remembers devices). @default false */
  rememberDevice?: boolean
}

/** `POST /auth/mfa/totp`: the new secret, as an `otpauth://` URL and a QR code (server-made SVG markup). */
export interface TotpEnrollment {
  otpauthUrl: string
  qrSvg: string
}

/** Ten single-use recovery codes, shown once (the server keeps only their hashes). */
export interface RecoveryCodesResult {
  recoveryCodes: string[]
}

/** `GET /auth/mfa`: which factors the signed-in user has. */
export interface MfaFactors {
  totp: boolean
  /** Recovery codes left. */
  recoveryCodes: number
  /** Passkeys registered. */
  passkeys: number
}

const path = (runtime: AuthRuntime, route: string) => `${runtime.basePath}${route}`

/** A new session started in this tab: read it into the cache and tell the other tabs. */
export async function adoptSession(runtime: AuthRuntime): Promise<SessionUser> {
  clearMfaChallenge(runtime)
  const payload = await reloadSession(runtime)
  runtime.notify('signed-in')
  if (!payload.user) throw new FetchError('Signed in, but the session cookie was not kept by the browser.')
  return payload.user
}

/** `POST <basePath>/mfa/verify`: the pending sign-in (its HttpOnly cookie) becomes a session. */
export async function verifyMfa(runtime: AuthRuntime, { method, code, rememberDevice }: MfaVerifyInput): Promise<SessionUser> {
  await runtime.fetch(path(runtime, '/mfa/verify'), { method: 'POST', body: { method, code, ...(rememberDevice === true ? { rememberDevice } : {}) } })
  return adoptSession(runtime)
}

/** `POST <basePath>/mfa/step-up`: the current session is raised to `authLevel: 'mfa'` (its token rotates: read it again). */
export async function stepUp(runtime: AuthRuntime, { method, code }: MfaCodeInput): Promise<SessionUser> {
  await runtime.fetch(path(runtime, '/mfa/step-up'), { method: 'POST', body: { method, code } })
  return adoptSession(runtime)
}

export async function startTotpEnrollment(runtime: AuthRuntime): Promise<TotpEnrollment> {
  const { otpauthUrl, qrSvg } = await runtime.fetch<TotpEnrollment>(path(runtime, '/mfa/totp'), { method: 'POST' })
  return { otpauthUrl, qrSvg }
}

export async function confirmTotp(runtime: AuthRuntime, code: string): Promise<RecoveryCodesResult> {
  const { recoveryCodes } = await runtime.fetch<RecoveryCodesResult>(path(runtime, '/mfa/totp/confirm'), { method: 'POST', body: { code } })
  await runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.factors() })
  return { recoveryCodes }
}

export async function removeTotp(runtime: AuthRuntime): Promise<void> {
  await runtime.fetch(path(runtime, '/mfa/totp'), { method: 'DELETE' })
  await runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.factors() })
}

export async function regenerateRecoveryCodes(runtime: AuthRuntime): Promise<RecoveryCodesResult> {
  const { recoveryCodes } = await runtime.fetch<RecoveryCodesResult>(path(runtime, '/mfa/recovery-codes'), { method: 'POST' })
  await runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.factors() })
  return { recoveryCodes }
}
