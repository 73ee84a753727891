'use client'
import type { ReactElement, ReactNode } from 'react'
import { useSession } from './use-session.js'

/**
 * Renders its children only while signed in (nothing while loading).
 *
 * @example
 * ```tsx
 * <SignedIn><UserMenu /></SignedIn>
 * ```
 */
export function SignedIn({ children }: { children?: ReactNode }): ReactElement | null {
  return useSession().status === 'authenticated' ? <>{children}</> : null
}
