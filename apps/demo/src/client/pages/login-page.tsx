import { MfaRequiredError, useMfaChallenge, useSession, useSignIn, useSignInWithPasskey } from '@acme/auth-react'
import { useEffect, useState, type ReactElement } from 'react'
import { safeReturnTo, type PageState } from '../../shared/page-state.js'
import { field } from '../format.js'
import { useHydrated } from '../use-hydrated.js'
import { navigateOnce } from '../navigate.js'
import { SecondFactorForm } from './second-factor-form.js'

/** Password sign-in (then the second factor, when one is enrolled), "Sign in with a passkey" and "Sign in with Demo IdP". */
export function LoginPage({ page }: { page: PageState }): ReactElement {
  const signIn = useSignIn()
  const challenge = useMfaChallenge()
  const passkey = useSignInWithPasskey()
  const session = useSession()
  const returnTo = safeReturnTo(page.returnTo)
  const hydrated = useHydrated()

  // Token strategy: an expired access cookie lands here signed out; the provider renews it from a
  // live refresh cookie on its own, and then this page has nothing left to do.
  useEffect(() => {
    if (session.status === 'authenticated' && !signIn.isPending) navigateOnce(returnTo)
  }, [session.status, signIn.isPending, returnTo])

  // An OAuth sign-in that needs a second factor lands here (`?mfa=pending`): the pending cookie is
  // HttpOnly, so ask the server for the challenge instead of showing the password form.
  const [resuming, setResuming] = useState<'checking' | 'expired' | 'done'>(page.mfaPending ? 'checking' : 'done')
  useEffect(() => {
    if (!page.mfaPending) return
    challenge.resume().then(
      (pending) => setResuming(pending ? 'done' : 'expired'),
      () => setResuming('expired'),
    )
    // Once, on arrival (challenge is a new object each render): the challenge then lives in the hook's state.
  }, [page.mfaPending])

  // A second factor is due: not an error, the next step.
  const error = signIn.error instanceof MfaRequiredError ? null : signIn.error
  if (resuming === 'checking' && !challenge.pending) {
    return (
      <section className="card narrow">
        <h1>Sign in</h1>
        <p role="status" className="muted">
          Checking your sign-in…
        </p>
      </section>
    )
  }
  if (challenge.pending) {
    return (
      <section className="card narrow">
        <h1>Sign in</h1>
        <SecondFactorForm onSignedIn={() => navigateOnce(returnTo)} />
      </section>
    )
  }
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <p className="muted">Use a demo account, or sign in through the demo identity provider.</p>
      {page.notice === 'password-reset' && (
        <p role="status" data-testid="login-notice">
          Your password was changed and every device signed out. Sign in with the new password.
        </p>
      )}
      {page.notice === 'account-deleted' && (
        <p role="status" data-testid="login-notice">
          Your account was deleted.
        </p>
      )}
      {resuming === 'expired' && (
        <p role="status" data-testid="login-notice">
          That sign-in waited too long for its second factor. Sign in again.
        </p>
      )}
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
              : error.status === 403 && error.data?.type?.endsWith('/email-unverified')
                ? 'Confirm your email address first: open the link we mailed you.'
                : error.status === 429
                ? 'Too many attempts. Try again later.'
                : 'Sign-in failed. Try again.'}
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        <a href="/forgot-password">Forgot your password?</a> · <a href="/signup">Create an account</a>
      </p>
      <div className="divider">
        <span>or</span>
      </div>
      <button
        type="button"
        className="button button-secondary wide"
        data-testid="passkey-sign-in"
        disabled={!hydrated || passkey.isPending}
        onClick={() => passkey.mutate(undefined, { onSuccess: () => navigateOnce(returnTo) })}
      >
        Sign in with a passkey
      </button>
      {passkey.error && !(passkey.error instanceof MfaRequiredError) && (
        <p className="error" role="alert">
          {'status' in passkey.error && passkey.error.status === 401 ? 'That passkey was not accepted.' : 'Passkey sign-in did not complete.'}
        </p>
      )}
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
