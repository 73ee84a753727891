'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { changePassword, type ChangePasswordInput } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

export type { ChangePasswordInput }

/**
 * Changes the signed-in user's password (`POST /auth/password`). Every OTHER session of the user
 * ends; this one continues with a new token, which the hook reads back (with its new CSRF token),
 * and the device list refetches. A wrong current password rejects with 401 (then 429 after too
 * many), a refused new one with 400 and `error.data.violations`.
 *
 * @example
 * ```tsx
 * const change = useChangePassword()
 * change.mutate({ currentPassword, newPassword })
 * {change.error?.status === 401 && <p>The current password is not right.</p>}
 * ```
 */
export function useChangePassword(): UseMutationResult<void, AuthFetchError, ChangePasswordInput> {
  const runtime = useAuthRuntime('useChangePassword')
  return useMutation<void, AuthFetchError, ChangePasswordInput>({ mutationFn: (input) => changePassword(runtime, input) }, runtime.queryClient)
}
