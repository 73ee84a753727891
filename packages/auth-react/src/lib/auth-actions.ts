import { FetchError } from 'ofetch'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload, SessionUser } from '@acme/auth-core'
import type { AuthRuntime } from './auth-runtime.js'
import { markSignedOut, reloadSession } from './identity.js'
import { awaitSecondFactor, type LoginAnswer } from './mfa-challenge.js'
import { statusOf } from './session-query.js'

/** Email and password, as `POST /auth/login` takes them. */
export interface SignInCredentials {
  email: string
  password: string
}

/**
 * `POST <basePath>/login` (the fetch client brings the CSRF token, fetching one first when it has
 * none), then the new session from `GET <basePath>/session` into the cache, then the other tabs.
 * The login answer alone lacks the session's id and expiry, hence the second request.
 */
export async function signIn(runtime: AuthRuntime, { email, password }: SignInCredentials): Promise<SessionUser> {
  const answer = await runtime.fetch<LoginAnswer>(`${runtime.basePath}/login`, { method: 'POST', body: { email, password } })
  awaitSecondFactor(runtime, answer)
  const payload = await reloadSession(runtime)
  runtime.notify('signed-in')
  // The server accepted the password but the browser did not keep its cookie (blocked cookies).
  if (!payload.user) throw new FetchError('Signed in, but the session cookie was not kept by the browser.')
  return payload.user
}

/**
 * `POST <basePath>/logout` (or `/logout-all`), then signed out here and in the other tabs.
 * A 401 counts as done: the goal, no session, already holds.
 */
export async function signOut(runtime: AuthRuntime, everywhere: boolean): Promise<void> {
  try {
    await runtime.fetch(`${runtime.basePath}/${everywhere ? 'logout-all' : 'logout'}`, { method: 'POST' })
  } catch (error) {
    if (statusOf(error) !== 401) {
      // Whatever happened, show what the server says rather than what we hoped.
      void runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
      throw error
    }
  }
  await markSignedOut(runtime)
  runtime.notify('signed-out')
}

/** `DELETE <basePath>/sessions/:id`; revoking this browser's own session signs it out. */
export async function revokeSession(runtime: AuthRuntime, id: string): Promise<void> {
  await runtime.fetch(`${runtime.basePath}/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' })
  const current = runtime.queryClient.getQueryData<SessionPayload>(authQueryKeys.session())
  if (current?.user && current.session.id === id) {
    await markSignedOut(runtime)
    runtime.notify('signed-out')
    return
  }
  await runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.sessions() })
}
