import { useSignIn } from '@acme/auth-react'
import { useEffect, useState, type ReactElement } from 'react'
import { safeReturnTo, type PageState } from '../../shared/page-state.js'
import { field } from '../format.js'
import { refreshTokens } from '../token-refresh.js'
import { useHydrated } from '../use-hydrated.js'
import { useQueryClient } from '@tanstack/react-query'
import { navigateOnce } from '../navigate.js'

/** Password sign-in and "Sign in with Demo IdP". */
export function LoginPage({ page }: { page: PageState }): ReactElement {
  const signIn = useSignIn()
  const queryClient = useQueryClient()
  const returnTo = safeReturnTo(page.returnTo)
  const [resuming, setResuming] = useState(false)
  const hydrated = useHydrated()

  // Token strategy: an expired access cookie lands here; a live refresh cookie resumes silently (once).
  useEffect(() => {
    const url = new URL(window.location.href)
    if (page.strategy !== 'token' || url.searchParams.has('resumed')) return
    setResuming(true)
    void refreshTokens(queryClient).then((renewed) => {
      if (renewed) window.location.replace(returnTo)
      else setResuming(false)
    })
  }, [page.strategy, queryClient, returnTo])

  const error = signIn.error
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <p className="muted">Use a demo account, or sign in through the demo identity provider.</p>
      {page.error === 'oauth' && (
        <p className="error" role="alert">
          Sign-in with the Demo IdP did not complete. Try again.
        </p>
      )}
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          const form = new FormData(event.currentTarget)
          signIn.mutate(
            { email: field(form, 'email'), password: field(form, 'password') },
            { onSuccess: () => navigateOnce(returnTo) },
          )
        }}
      >
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error.status === 401
              ? 'Wrong email or password.'
              : error.status === 429
                ? 'Too many attempts. Try again later.'
                : 'Sign-in failed. Try again.'}
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || signIn.isPending || resuming}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="divider">
        <span>or</span>
      </div>
      <a className="button button-secondary wide" href={`/auth/oauth/demo?returnTo=${encodeURIComponent(returnTo)}`}>
        Sign in with Demo IdP
      </a>
      <details className="hint">
        <summary>Demo accounts</summary>
        <ul>
          <li>
            <code>alice@example.com</code> / <code>alice-password</code> (admin)
          </li>
          <li>
            <code>bob@example.com</code> / <code>bob-password</code> (member)
          </li>
        </ul>
      </details>
    </section>
  )
}
