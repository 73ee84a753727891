'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { regenerateRecoveryCodes, type RecoveryCodesResult } from './lib/mfa-actions.js'

/**
 * Replaces the recovery codes (`POST /auth/mfa/recovery-codes`, a fresh session and a factor
 * enrolled, else 401 `…/reauthenticate` or 409 `…/mfa-not-enrolled`): the old ones stop working,
 * the ten new ones are in `data.recoveryCodes` only.
 *
 * @example
 * ```tsx
 * const codes = useRecoveryCodes()
 * <button onClick={() => codes.mutate()}>New recovery codes</button>
 * ```
 */
export function useRecoveryCodes(): UseMutationResult<RecoveryCodesResult, AuthFetchError, void> {
  const runtime = useAuthRuntime('useRecoveryCodes')
  return useMutation<RecoveryCodesResult, AuthFetchError, void>({ mutationFn: () => regenerateRecoveryCodes(runtime) }, runtime.queryClient)
}
