import { startAuthentication, startRegistration } from '@simplewebauthn/browser'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser'
import type { SessionUser } from '@acme/auth-core'
import { authQueryKeys } from '../query-keys.js'
import type { AuthRuntime } from './auth-runtime.js'
import { adoptSession } from './mfa-actions.js'
import { awaitSecondFactor, type LoginAnswer } from './mfa-challenge.js'

/** One row of `GET /auth/passkeys`. Instants are ISO 8601. */
export interface Passkey {
  id: string
  name: string
  createdAt: string | null
  lastUsedAt: string | null
}

/**
 * The browser's half of the WebAuthn ceremonies. The default is `@simplewebauthn/browser`
 * (`navigator.credentials`); tests without WebAuthn pass a software authenticator
 * (`createSoftwareAuthenticator` of `@acme/auth-testing` has this shape).
 */
export interface WebAuthnCeremonies {
  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON | Promise<RegistrationResponseJSON>
  authenticate(options: PublicKeyCredentialRequestOptionsJSON): AuthenticationResponseJSON | Promise<AuthenticationResponseJSON>
}

/** `navigator.credentials` through `@simplewebauthn/browser`. */
export const browserWebAuthn: WebAuthnCeremonies = {
  register: (optionsJSON) => startRegistration({ optionsJSON }),
  authenticate: (optionsJSON) => startAuthentication({ optionsJSON }),
}

const path = (runtime: AuthRuntime, route: string) => `${runtime.basePath}${route}`

/** `POST /passkeys/register/options`, the ceremony, then `POST /passkeys` (with an optional name). */
export async function registerPasskey(runtime: AuthRuntime, webauthn: WebAuthnCeremonies, name: string | undefined): Promise<Passkey> {
  const options = await runtime.fetch<PublicKeyCredentialCreationOptionsJSON>(path(runtime, '/passkeys/register/options'), { method: 'POST' })
  const attestation = await webauthn.register(options)
  const created = await runtime.fetch<Passkey>(path(runtime, '/passkeys'), { method: 'POST', body: { ...attestation, ...(name === undefined ? {} : { name }) } })
  await refreshLists(runtime)
  return created
}

export async function renamePasskey(runtime: AuthRuntime, id: string, name: string): Promise<Passkey> {
  const renamed = await runtime.fetch<Passkey>(path(runtime, `/passkeys/${encodeURIComponent(id)}`), { method: 'PATCH', body: { name } })
  await refreshLists(runtime)
  return renamed
}

export async function deletePasskey(runtime: AuthRuntime, id: string): Promise<void> {
  await runtime.fetch(path(runtime, `/passkeys/${encodeURIComponent(id)}`), { method: 'DELETE' })
  await refreshLists(runtime)
}

/**
 * `POST /passkeys/login/options` (discoverable: no email), the ceremony, `POST /passkeys/login`.
 * Also completes a pending sign-in whose methods include `passkey`. A passkey without user
 * verification may still need a second factor: that rejects with `MfaRequiredError`.
 * `rememberDevice` counts only when the passkey completes a pending sign-in.
 */
export async function signInWithPasskey(runtime: AuthRuntime, webauthn: WebAuthnCeremonies, rememberDevice = false): Promise<SessionUser> {
  const options = await runtime.fetch<PublicKeyCredentialRequestOptionsJSON>(path(runtime, '/passkeys/login/options'), { method: 'POST' })
  const assertion = await webauthn.authenticate(options)
  const body = rememberDevice ? { ...assertion, rememberDevice } : assertion
  const answer = await runtime.fetch<LoginAnswer>(path(runtime, '/passkeys/login'), { method: 'POST', body })
  awaitSecondFactor(runtime, answer)
  return adoptSession(runtime)
}

async function refreshLists(runtime: AuthRuntime): Promise<void> {
  await Promise.all([
    runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.passkeys() }),
    runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.factors() }),
  ])
}
