'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { resetPassword, type ResetPasswordInput } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

export type { ResetPasswordInput }

/**
 * Sets a new password with the token of the mailed link (`POST /auth/password/reset`). The server
 * ends every session of that user, everywhere; if this browser was one of them it shows signed
 * out (here and in the other tabs). Nobody is signed in afterwards: sign in with the new password.
 * A refused password rejects with 400 and `error.data.violations` (the link still works); a bad,
 * used or expired token with 400 `…/invalid-token`.
 *
 * @example
 * ```tsx
 * const reset = useResetPassword()
 * reset.mutate({ token, password }, { onSuccess: () => location.assign('/login') })
 * ```
 */
export function useResetPassword(): UseMutationResult<void, AuthFetchError, ResetPasswordInput> {
  const runtime = useAuthRuntime('useResetPassword')
  return useMutation<void, AuthFetchError, ResetPasswordInput>({ mutationFn: (input) => resetPassword(runtime, input) }, runtime.queryClient)
}
