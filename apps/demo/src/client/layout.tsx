import { RequireRole, SignedIn, useSession, useSignOut } from '@acme/auth-react'
import { useEffect, type ReactElement, type ReactNode } from 'react'
import { publicPages, type PageState } from '../shared/page-state.js'
import { navigateOnce } from './navigate.js'

/** Header, navigation and the signed-out watch shared by every page. */
export function Layout({ page, children }: { page: PageState; children: ReactNode }): ReactElement {
  const session = useSession()
  const signOut = useSignOut()

  // Signed out elsewhere (another tab, a revoked device, sign-out everywhere): leave the page.
  // On the token strategy the provider has already tried to renew the access cookie by then.
  const isProtected = !publicPages.has(page.page)
  useEffect(() => {
    if (isProtected && session.status === 'unauthenticated') navigateOnce(`/login?returnTo=${encodeURIComponent(window.location.pathname)}`)
  }, [isProtected, session.status])

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
            <a href="/account" aria-current={page.page === 'account' ? 'page' : undefined}>Account</a>
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
        Strategy: <code>{page.strategy}</code>
        <RequireRole role="admin" fallback={null}>
          {' '}
          · <a href="/metrics">metrics</a>
        </RequireRole>
      </footer>
    </div>
  )
}
