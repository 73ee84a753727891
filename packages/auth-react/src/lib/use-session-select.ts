'use client'
import { useQuery } from '@tanstack/react-query'
import type { SessionPayload } from '@acme/auth-core'
import { useAuthRuntime } from './auth-context.js'

/**
 * One observer of the session query, narrowed by `select` so a component re-renders only when
 * its slice changes (react-query keeps equal results referentially stable).
 */
export function useSessionSelect<T>(hook: string, select: (payload: SessionPayload) => T) {
  const runtime = useAuthRuntime(hook)
  return useQuery({ ...runtime.sessionQuery, select }, runtime.queryClient)
}
