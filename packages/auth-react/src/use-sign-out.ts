'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { signOut } from './lib/auth-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

/** Variables of the {@link useSignOut} mutation. */
export interface SignOutOptions {
  /**
   * End every session of this user (`POST /auth/logout-all`), not just this browser's.
   * @default false
   */
  everywhere?: boolean
}

/**
 * Signs out: ends the session on the server, then shows signed out here and in the other tabs.
 * `mutate({ everywhere: true })` signs out every device. Data the app cached for the user in its
 * own queries is the app's to clear (`queryClient.clear()` in `onSuccess`).
 *
 * @example
 * ```tsx
 * const signOut = useSignOut()
 * <button onClick={() => signOut.mutate()}>Sign out</button>
 * <button onClick={() => signOut.mutate({ everywhere: true })}>Sign out everywhere</button>
 * ```
 */
export function useSignOut(): UseMutationResult<void, AuthFetchError, SignOutOptions | void> {
  const runtime = useAuthRuntime('useSignOut')
  return useMutation<void, AuthFetchError, SignOutOptions | void>(
    { mutationFn: (options) => signOut(runtime, options?.everywhere === true) },
    runtime.queryClient,
  )
}
