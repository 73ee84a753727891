'use client'
import { useSessionSelect } from './lib/use-session-select.js'
import type { SessionInfo, SessionPayload, SessionUser } from '@acme/auth-core'

/** Where the session stands. `loading` only until the first answer (or the server-rendered one). */
export type SessionStatus = 'loading' | 'authenticated' | 'unauthenticated'

/** What {@link useSession} returns; `status` narrows `user` and `session`. */
export type SessionState =
  | { status: 'loading'; user: null; session: null }
  | { status: 'authenticated'; user: SessionUser; session: SessionInfo }
  | { status: 'unauthenticated'; user: null; session: null }

const loading: SessionState = { status: 'loading', user: null, session: null }
const signedOut: SessionState = { status: 'unauthenticated', user: null, session: null }

function toState(payload: SessionPayload): SessionState {
  return payload.user ? { status: 'authenticated', user: payload.user, session: payload.session } : signedOut
}

/**
 * The session as the server last described it. A failed first load (server unreachable after
 * retries) reads as `unauthenticated`; a failed refetch keeps the last answer.
 *
 * @example
 * ```tsx
 * function Greeting() {
 *   const { status, user } = useSession()
 *   if (status === 'loading') return <Spinner />
 *   return status === 'authenticated' ? <p>Hello, {user.name}</p> : <SignInLink />
 * }
 * ```
 */
export function useSession(): SessionState {
  const { data, isError } = useSessionSelect('useSession', toState)
  return data ?? (isError ? signedOut : loading)
}
