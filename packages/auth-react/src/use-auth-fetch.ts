'use client'
import type { AuthFetch } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'

/**
 * The provider's fetch client (see `createAuthFetch`): same-origin credentials, the CSRF header
 * on unsafe methods, and a 401 flips the UI to signed out.
 *
 * @example
 * ```tsx
 * const api = useAuthFetch()
 * const save = useMutation({ mutationFn: (text: string) => api('/api/notes', { method: 'POST', body: { text } }) })
 * ```
 */
export function useAuthFetch(): AuthFetch {
  return useAuthRuntime('useAuthFetch').fetch
}
