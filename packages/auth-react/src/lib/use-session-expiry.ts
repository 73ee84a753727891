'use client'
import { useEffect } from 'react'
import { authQueryKeys } from '../query-keys.js'
import type { AuthRuntime } from './auth-runtime.js'

/** setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
const maxDelay = 2_147_483_647
/** Ask just after the expiry, so the server has surely ended the session. */
const margin = 1000

/**
 * One timer for the whole app (in the provider, not per component): at the session's
 * `expiresAt`, refetch the session. The server answers with a slid expiry (a new timer) or with
 * `{ user: null }`. The timer follows the `expiresAt` value, so an unchanged answer sets no new
 * timer and cannot loop.
 */
export function useSessionExpiry(runtime: AuthRuntime, expiresAt: string | null): void {
  useEffect(() => {
    if (expiresAt === null) return
    const at = Date.parse(expiresAt) + margin
    if (Number.isNaN(at)) return
    let timer: ReturnType<typeof setTimeout>
    const schedule = () => {
      const delay = at - Date.now()
      timer =
        delay > maxDelay
          ? setTimeout(schedule, maxDelay)
          : setTimeout(() => void runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }), Math.max(delay, 0))
    }
    schedule()
    return () => clearTimeout(timer)
  }, [runtime, expiresAt])
}
