'use client'
import type { ReactElement, ReactNode } from 'react'
import { useSession } from './use-session.js'

/**
 * Renders its children only once the server said nobody is signed in (nothing while loading).
 *
 * @example
 * ```tsx
 * <SignedOut><a href="/login">Sign in</a></SignedOut>
 * ```
 */
export function SignedOut({ children }: { children?: ReactNode }): ReactElement | null {
  return useSession().status === 'unauthenticated' ? <>{children}</> : null
}
