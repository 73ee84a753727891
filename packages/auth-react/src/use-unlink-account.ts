'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { unlinkAccount } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

/**
 * Unlinks one sign-in method by provider name (`DELETE /auth/accounts/:provider`; `password`
 * removes the password) and refetches {@link useLinkedAccounts}. The last way to sign in cannot
 * go: that rejects with 409 (`error.data.type` ends in `/last-sign-in-method`); one that is not
 * linked with 404.
 *
 * @example
 * ```tsx
 * const unlink = useUnlinkAccount()
 * <button onClick={() => unlink.mutate('github')}>Unlink GitHub</button>
 * {unlink.error?.status === 409 && <p>Link another way to sign in first.</p>}
 * ```
 */
export function useUnlinkAccount(): UseMutationResult<void, AuthFetchError, string> {
  const runtime = useAuthRuntime('useUnlinkAccount')
  return useMutation<void, AuthFetchError, string>({ mutationFn: (provider) => unlinkAccount(runtime, provider) }, runtime.queryClient)
}
