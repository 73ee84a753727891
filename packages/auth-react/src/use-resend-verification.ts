'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { resendVerification } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

/**
 * Sends the verification link again (`POST /auth/email/verification`, with the address). It
 * resolves for every address, registered or not, verified or not: the server never says which.
 * Too many requests reject with 429.
 *
 * @example
 * ```tsx
 * const resend = useResendVerification()
 * <button onClick={() => resend.mutate(email)}>Send the link again</button>
 * {resend.isSuccess && <p>If that address is waiting for verification, a new link is on its way.</p>}
 * ```
 */
export function useResendVerification(): UseMutationResult<void, AuthFetchError, string> {
  const runtime = useAuthRuntime('useResendVerification')
  return useMutation<void, AuthFetchError, string>({ mutationFn: (email) => resendVerification(runtime, email) }, runtime.queryClient)
}
