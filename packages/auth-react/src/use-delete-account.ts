'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { deleteAccount, type DeleteAccountInput } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

export type { DeleteAccountInput }

/**
 * Deletes the signed-in user's account (`DELETE /auth/account`) with their password, or with no
 * argument right after a sign-in (the server's `freshSignInSeconds`). The user, every session,
 * refresh family and one-time token are gone; this browser and its other tabs show signed out.
 * A wrong password rejects with 401; a sign-in too old to count without a password with 401
 * `…/reauthenticate`.
 *
 * @example
 * ```tsx
 * const remove = useDeleteAccount()
 * remove.mutate({ password }, { onSuccess: () => location.assign('/') })
 * ```
 */
export function useDeleteAccount(): UseMutationResult<void, AuthFetchError, DeleteAccountInput | void> {
  const runtime = useAuthRuntime('useDeleteAccount')
  return useMutation<void, AuthFetchError, DeleteAccountInput | void>({ mutationFn: (input) => deleteAccount(runtime, input) }, runtime.queryClient)
}
