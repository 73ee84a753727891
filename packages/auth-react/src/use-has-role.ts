'use client'
import { useCallback } from 'react'
import { useSessionSelect } from './lib/use-session-select.js'
import type { SessionPayload } from '@acme/auth-core'

/**
 * True when the server listed `role` among the signed-in user's roles. Exact match only: the
 * client knows no hierarchy (`admin` does not imply `member`) and decides nothing; it reflects
 * what the server said, and the server still enforces every rule. `false` while loading.
 *
 * @example
 * ```tsx
 * const isAdmin = useHasRole('admin')
 * return isAdmin ? <Link to="/admin">Admin</Link> : null
 * ```
 */
export function useHasRole(role: string): boolean {
  const select = useCallback((payload: SessionPayload) => payload.user?.roles.includes(role) === true, [role])
  return useSessionSelect('useHasRole', select).data === true
}
