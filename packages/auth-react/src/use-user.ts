'use client'
import { useSessionSelect } from './lib/use-session-select.js'
import type { SessionPayload, SessionUser } from '@acme/auth-core'

const userOf = (payload: SessionPayload) => payload.user

/**
 * The signed-in user, or `null` (signed out, or still loading: use {@link useSession} to tell
 * them apart).
 *
 * @example
 * ```tsx
 * const user = useUser()
 * return <span>{user?.name ?? 'Guest'}</span>
 * ```
 */
export function useUser(): SessionUser | null {
  return useSessionSelect('useUser', userOf).data ?? null
}
