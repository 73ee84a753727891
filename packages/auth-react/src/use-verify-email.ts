'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { verifyEmail } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'
import type { SessionUser } from '@acme/auth-core'

/**
 * Confirms an email address with the token of the mailed link (`POST /auth/email/verify`) and
 * signs in: a new session, in the cache and the other tabs. Resolves with the user. A bad, used
 * or expired token rejects with 400 (`error.data.type` ends in `/invalid-token`).
 *
 * @example
 * ```tsx
 * const token = new URLSearchParams(location.search).get('token') ?? ''
 * const verify = useVerifyEmail()
 * <button onClick={() => verify.mutate(token, { onSuccess: () => location.assign('/') })}>Confirm my address</button>
 * ```
 */
export function useVerifyEmail(): UseMutationResult<SessionUser, AuthFetchError, string> {
  const runtime = useAuthRuntime('useVerifyEmail')
  return useMutation<SessionUser, AuthFetchError, string>({ mutationFn: (token) => verifyEmail(runtime, token) }, runtime.queryClient)
}
