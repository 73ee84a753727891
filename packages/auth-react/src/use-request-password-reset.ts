'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { requestPasswordReset } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

/**
 * "Forgot password" (`POST /auth/password/forgot`, with the address): the server mails a reset
 * link when the address has an account. It resolves for every address alike, so the page must
 * not say more than "if there is an account, a link is on its way". It works signed in too.
 * Too many requests reject with 429.
 *
 * @example
 * ```tsx
 * const forgot = useRequestPasswordReset()
 * <form onSubmit={(e) => { e.preventDefault(); forgot.mutate(email) }}>…</form>
 * {forgot.isSuccess && <p>If an account uses that address, we sent it a link.</p>}
 * ```
 */
export function useRequestPasswordReset(): UseMutationResult<void, AuthFetchError, string> {
  const runtime = useAuthRuntime('useRequestPasswordReset')
  return useMutation<void, AuthFetchError, string>({ mutationFn: (email) => requestPasswordReset(runtime, email) }, runtime.queryClient)
}
