'use client'
import type { ReactElement, ReactNode } from 'react'
import { useHasRole } from './use-has-role.js'

/** Props of {@link RequireRole}. */
export interface RequireRoleProps {
  /** The role the server must have listed for the user (exact match). */
  role: string
  /**
   * Rendered instead of the children: signed out, loading, or without the role.
   * @default null
   */
  fallback?: ReactNode
  children?: ReactNode
}

/**
 * Renders its children when the server listed `role` for the signed-in user, else `fallback`.
 * It hides UI, it does not protect data: the server's `requireRole()` does that.
 *
 * @example
 * ```tsx
 * <RequireRole role="admin" fallback={<p>Admins only.</p>}>
 *   <AdminPanel />
 * </RequireRole>
 * ```
 */
export function RequireRole({ role, fallback = null, children }: RequireRoleProps): ReactElement {
  return <>{useHasRole(role) ? children : fallback}</>
}
