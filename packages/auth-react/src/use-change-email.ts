'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { changeEmail, type ChangeEmailInput } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

export type { ChangeEmailInput }

/**
 * Asks to move the signed-in account to a new address (`POST /auth/email/change`). Resolves on the
 * server's 202, which is the same whether or not the new address is free; the account keeps its
 * address until the link mailed to the new one is opened (`useVerifyEmail`, which then signs in
 * as the account at its new address). A wrong password rejects with 401 (then 429 after too many),
 * a stale sign-in without a password with 401 `…/reauthenticate`.
 *
 * @example
 * ```tsx
 * const change = useChangeEmail()
 * change.mutate({ newEmail, password })
 * {change.isSuccess && <p>Check {newEmail} for a confirmation link.</p>}
 * ```
 */
export function useChangeEmail(): UseMutationResult<void, AuthFetchError, ChangeEmailInput> {
  const runtime = useAuthRuntime('useChangeEmail')
  return useMutation<void, AuthFetchError, ChangeEmailInput>({ mutationFn: (input) => changeEmail(runtime, input) }, runtime.queryClient)
}
