import { FetchError } from 'ofetch'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload, SessionUser } from '@acme/auth-core'
import type { AuthRuntime } from './auth-runtime.js'
import { markSignedOut, reloadSession } from './identity.js'

/** What `POST /auth/signup` takes. */
export interface SignUpInput {
  email: string
  password: string
  /** Shown in the app; the server falls back to the part of the address before `@`. */
  name?: string
}

/**
 * How a sign-up ended. `verification_sent`: the server mailed a link (or, for an address that
 * already has an account, an "already registered" notice — the answer is the same on purpose);
 * nobody is signed in yet. `signed_in`: the server does not require verification and signed the
 * new user in.
 */
export type SignUpResult = { status: 'verification_sent' } | { status: 'signed_in'; user: SessionUser }

/** What `POST /auth/password/reset` takes: the token from the mailed link and the new password. */
export interface ResetPasswordInput {
  token: string
  password: string
}

/** What `POST /auth/password` takes. */
export interface ChangePasswordInput {
  currentPassword: string
  newPassword: string
}

/** What `POST /auth/email/change` takes: the new address, and the password (or none right after a sign-in). */
export interface ChangeEmailInput {
  newEmail: string
  password?: string
}

/** What `DELETE /auth/account` takes: the password, or nothing right after a sign-in. */
export interface DeleteAccountInput {
  password?: string
}

const path = (runtime: AuthRuntime, route: string) => `${runtime.basePath}${route}`

/** The server signed this browser in (a new session): read it into the cache and tell the other tabs. */
async function adoptNewSession(runtime: AuthRuntime): Promise<SessionUser> {
  const payload = await reloadSession(runtime)
  runtime.notify('signed-in')
  if (!payload.user) throw new FetchError('Signed in, but the session cookie was not kept by the browser.')
  return payload.user
}

/** `POST <basePath>/signup`; a 201 carries a session (verification off), a 202 does not. */
export async function signUp(runtime: AuthRuntime, input: SignUpInput): Promise<SignUpResult> {
  const body = { email: input.email, password: input.password, ...(input.name === undefined ? {} : { name: input.name }) }
  const response = await runtime.fetch.raw<{ status?: string }>(path(runtime, '/signup'), { method: 'POST', body })
  if (response.status === 201) return { status: 'signed_in', user: await adoptNewSession(runtime) }
  return { status: 'verification_sent' }
}

/** `POST <basePath>/email/verify`: uses the link up and signs in with a new session. */
export async function verifyEmail(runtime: AuthRuntime, token: string): Promise<SessionUser> {
  await runtime.fetch(path(runtime, '/email/verify'), { method: 'POST', body: { token } })
  return adoptNewSession(runtime)
}

/** `POST <basePath>/email/verification`: 202 for every address. */
export async function resendVerification(runtime: AuthRuntime, email: string): Promise<void> {
  await runtime.fetch(path(runtime, '/email/verification'), { method: 'POST', body: { email } })
}

/** `POST <basePath>/password/forgot`: 202 for every address. */
export async function requestPasswordReset(runtime: AuthRuntime, email: string): Promise<void> {
  await runtime.fetch(path(runtime, '/password/forgot'), { method: 'POST', body: { email } })
}

/**
 * `POST <basePath>/password/reset`. The server ends every session of the user; when this browser
 * was signed in as them, its cookies are gone too, so a signed-in cache asks the server again
 * and, signed out now, tells the other tabs.
 */
export async function resetPassword(runtime: AuthRuntime, { token, password }: ResetPasswordInput): Promise<void> {
  await runtime.fetch(path(runtime, '/password/reset'), { method: 'POST', body: { token, password } })
  const before = runtime.queryClient.getQueryData<SessionPayload>(authQueryKeys.session())
  if (!before?.user) return
  const after = await reloadSession(runtime)
  if (!after.user) runtime.notify('signed-out')
}

/**
 * `POST <basePath>/password`. Every other session ends and this one gets a new token (and so a
 * new CSRF token): the session is read again, the device list and linked methods refetched, and
 * the other tabs (which share the rotated cookie) told to ask the server.
 */
export async function changePassword(runtime: AuthRuntime, { currentPassword, newPassword }: ChangePasswordInput): Promise<void> {
  await runtime.fetch(path(runtime, '/password'), { method: 'POST', body: { currentPassword, newPassword } })
  await reloadSession(runtime)
  runtime.notify('signed-in')
}

/**
 * `POST <basePath>/email/change`: 202 for every address. Nothing changes yet: the account keeps
 * its address until the link (or code) mailed to the new one is used (`verifyEmail`).
 */
export async function changeEmail(runtime: AuthRuntime, { newEmail, password }: ChangeEmailInput): Promise<void> {
  await runtime.fetch(path(runtime, '/email/change'), { method: 'POST', body: { newEmail, ...(password === undefined ? {} : { password }) } })
}

/** `DELETE <basePath>/accounts/:provider`, then the list again. */
export async function unlinkAccount(runtime: AuthRuntime, provider: string): Promise<void> {
  await runtime.fetch(path(runtime, `/accounts/${encodeURIComponent(provider)}`), { method: 'DELETE' })
  await runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.accounts() })
}

/** `DELETE <basePath>/account`: the user and every session are gone, so this browser is signed out (and the other tabs). */
export async function deleteAccount(runtime: AuthRuntime, input: DeleteAccountInput | void): Promise<void> {
  const password = input?.password
  await runtime.fetch(path(runtime, '/account'), { method: 'DELETE', ...(password === undefined ? {} : { body: { password } }) })
  await markSignedOut(runtime)
  runtime.notify('signed-out')
}
