import { authQueryKeys, useSession, type SessionPayload } from '@acme/auth-react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'

// Workaround: @acme/auth-react has no refresh for the token strategy yet (nothing calls
// POST /auth/refresh), so the demo keeps the access cookie fresh itself. See the README's gaps.

let inFlight: Promise<boolean> | undefined

async function csrfToken(queryClient: QueryClient): Promise<string | undefined> {
  const session = queryClient.getQueryData<SessionPayload>(authQueryKeys.session())
  if (session?.user) return session.csrfToken
  const answer = await fetch('/auth/csrf', { credentials: 'same-origin' })
  return answer.ok ? ((await answer.json()) as { csrfToken: string }).csrfToken : undefined
}

async function post(token: string | undefined): Promise<number> {
  const answer = await fetch('/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: token ? { 'x-csrf-token': token } : {},
  })
  return answer.status
}

/**
 * Rotates the access and refresh cookies (`POST /auth/refresh`), once at a time. When the access
 * cookie already expired the session-bound CSRF token no longer matches, so it retries once with
 * a fresh one from `GET /auth/csrf`. Resolves `true` when the cookies were renewed.
 */
export function refreshTokens(queryClient: QueryClient): Promise<boolean> {
  inFlight ??= (async () => {
    try {
      let status = await post(await csrfToken(queryClient))
      if (status === 403) {
        const fresh = await fetch('/auth/csrf', { credentials: 'same-origin' })
        if (fresh.ok) status = await post(((await fresh.json()) as { csrfToken: string }).csrfToken)
      }
      return status === 204
    } catch {
      return false
    } finally {
      inFlight = undefined
    }
  })()
  return inFlight
}

/** Token strategy: renews the access cookie before it expires, so the user never notices. */
export function useTokenRefresh(strategy: 'session' | 'token'): void {
  const queryClient = useQueryClient()
  const session = useSession()
  const expiresAt = session.status === 'authenticated' ? Date.parse(session.session.expiresAt) : undefined
  useEffect(() => {
    if (strategy !== 'token' || expiresAt === undefined) return
    const remaining = expiresAt - Date.now()
    // A minute early for long lifetimes, a third of what is left for short ones.
    const delay = Math.max(0, remaining > 180_000 ? remaining - 60_000 : (remaining * 2) / 3)
    const timer = setTimeout(() => {
      void refreshTokens(queryClient).then(() => queryClient.invalidateQueries({ queryKey: authQueryKeys.session() }))
    }, delay)
    return () => clearTimeout(timer)
  }, [strategy, expiresAt, queryClient])
}
