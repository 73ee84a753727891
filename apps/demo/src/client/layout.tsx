import { RequireRole, SignedIn, useSession, useSignOut } from '@acme/auth-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react'
import type { PageState } from '../shared/page-state.js'
import { refreshTokens, useTokenRefresh } from './token-refresh.js'
import { navigateOnce } from './navigate.js'

const publicPages = new Set(['login', 'not-found'])

/** Header, navigation and the signed-out watch shared by every page. */
export function Layout({ page, children }: { page: PageState; children: ReactNode }): ReactElement {
  const session = useSession()
  const signOut = useSignOut()
  const queryClient = useQueryClient()
  const triedRefresh = useRef(false)
  useTokenRefresh(page.strategy)

  // Signed out elsewhere (another tab, a revoked device, sign-out everywhere): leave the page.
  const isProtected = !publicPages.has(page.page)
  useEffect(() => {
    if (!isProtected || session.status !== 'unauthenticated') return
    const toLogin = () => navigateOnce(`/login?returnTo=${encodeURIComponent(window.location.pathname)}`)
    if (page.strategy !== 'token' || triedRefresh.current) return toLogin()
    // Token strategy: an expired access cookie reads as signed out; the refresh cookie may still be good.
    triedRefresh.current = true
    void refreshTokens(queryClient).then((renewed) => (renewed ? queryClient.invalidateQueries() : toLogin()))
  }, [isProtected, session.status, page.strategy, queryClient])

  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/">
          <span className="brand-mark" aria-hidden="true">A</span> Acme Auth <span className="brand-sub">demo</span>
        </a>
        <SignedIn>
          <nav className="nav" aria-label="Main">
            <a href="/" aria-current={page.page === 'dashboard' ? 'page' : undefined}>Notes</a>
            <a href="/account/sessions" aria-current={page.page === 'sessions' ? 'page' : undefined}>Devices</a>
            <RequireRole role="admin" fallback={null}>
              <a href="/admin" aria-current={page.page === 'admin' ? 'page' : undefined}>Admin</a>
            </RequireRole>
          </nav>
          <div className="account">
            <span className="account-name" data-testid="user-name">{session.user?.name}</span>
            <button
              type="button"
              className="button button-quiet"
              disabled={signOut.isPending}
              onClick={() => signOut.mutate(undefined, { onSuccess: () => navigateOnce('/login') })}
            >
              Sign out
            </button>
          </div>
        </SignedIn>
      </header>
      <main className="content">{children}</main>
      <footer className="footer">
        Strategy: <code>{page.strategy}</code> · <a href="/metrics">metrics</a>
      </footer>
    </div>
  )
}
