'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { signIn, type SignInCredentials } from './lib/auth-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'
import type { SessionUser } from '@acme/auth-core'

export type { SignInCredentials }

/**
 * Signs in with email and password: fetches a CSRF token if none is held, posts the credentials,
 * puts the new session in the cache and tells the other tabs. A wrong email or password rejects
 * with `error.status === 401` (one generic answer for both), too many attempts with 429.
 *
 * @example
 * ```tsx
 * const signIn = useSignIn()
 * <form onSubmit={(e) => { e.preventDefault(); signIn.mutate({ email, password }) }}>
 *   {signIn.error?.status === 401 && <p>Wrong email or password.</p>}
 * </form>
 * ```
 */
export function useSignIn(): UseMutationResult<SessionUser, AuthFetchError, SignInCredentials> {
  const runtime = useAuthRuntime('useSignIn')
  return useMutation<SessionUser, AuthFetchError, SignInCredentials>(
    { mutationFn: (credentials) => signIn(runtime, credentials) },
    runtime.queryClient,
  )
}
