'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { revokeSession } from './lib/auth-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

/**
 * Revokes one of this user's sessions by id (`DELETE /auth/sessions/:id`) and refreshes the
 * device list. Revoking this browser's own session signs it out (here and in the other tabs).
 * An id that is not the user's rejects with `error.status === 404`.
 *
 * @example
 * ```tsx
 * const revoke = useRevokeSession()
 * <button onClick={() => revoke.mutate(device.id)}>Sign out this device</button>
 * ```
 */
export function useRevokeSession(): UseMutationResult<void, AuthFetchError, string> {
  const runtime = useAuthRuntime('useRevokeSession')
  return useMutation<void, AuthFetchError, string>({ mutationFn: (id) => revokeSession(runtime, id) }, runtime.queryClient)
}
