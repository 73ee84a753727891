'use client'
import { useEffect } from 'react'
import { authQueryKeys } from '../query-keys.js'
import type { AuthRuntime } from './auth-runtime.js'
import { refreshDelay } from './token-refresh.js'

/** setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
const maxDelay = 2_147_483_647
/** Ask just after the expiry, so the server has surely ended the session. */
const margin = 1000

/** Runs `run` at the instant `at` (ms since the epoch); returns the cancel function. */
function at(instant: number, run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>
  const schedule = () => {
    const delay = instant - Date.now()
    timer = delay > maxDelay ? setTimeout(schedule, maxDelay) : setTimeout(run, Math.max(delay, 0))
  }
  schedule()
  return () => clearTimeout(timer)
}

/**
 * One timer for the whole app (in the provider, not per component): at the session's
 * `expiresAt`, refetch the session. The server answers with a slid expiry (a new timer) or with
 * `{ user: null }`. The timer follows the `expiresAt` value, so an unchanged answer sets no new
 * timer and cannot loop. On the token strategy `expiresAt` is the access cookie's: it is renewed
 * ahead of time instead (the renewed session brings a new `expiresAt`, so a new timer); only if
 * that fails is the session refetched at expiry.
 */
export function useSessionExpiry(runtime: AuthRuntime, expiresAt: string | null): void {
  useEffect(() => {
    if (expiresAt === null) return
    const expiry = Date.parse(expiresAt)
    if (Number.isNaN(expiry)) return
    const atExpiry = () => at(expiry + margin, () => void runtime.queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))
    const refresher = runtime.refresher
    if (!refresher) return atExpiry()
    let stopped = false
    let cancel = at(Date.now() + refreshDelay(expiry, Date.now()), () => {
      void refresher.renew(refresher.generation).then((renewed) => {
        if (!renewed && !stopped) cancel = atExpiry()
      })
    })
    return () => {
      stopped = true
      cancel()
    }
  }, [runtime, expiresAt])
}
