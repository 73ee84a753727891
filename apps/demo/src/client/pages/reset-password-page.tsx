import { useResetPassword } from '@acme/auth-react'
import { useState, type ReactElement } from 'react'
import { field } from '../format.js'
import { navigateOnce } from '../navigate.js'
import { problemText, tokenFromUrl } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'

/** The mailed reset link lands here: a new password, then every session of the account ends. */
export function ResetPasswordPage(): ReactElement {
  const reset = useResetPassword()
  const hydrated = useHydrated()
  const [mismatch, setMismatch] = useState(false)
  return (
    <section className="card narrow">
      <h1>Choose a new password</h1>
      <p className="muted">Every device signed in to your account will be signed out.</p>
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          const form = new FormData(event.currentTarget)
          const password = field(form, 'password')
          setMismatch(password !== field(form, 'confirm'))
          if (password !== field(form, 'confirm')) return
          reset.mutate({ token: tokenFromUrl(), password }, { onSuccess: () => navigateOnce('/login?notice=password-reset') })
        }}
      >
        <label>
          New password
          <input name="password" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        <label>
          Repeat it
          <input name="confirm" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        {mismatch && (
          <p className="error" role="alert">
            The two passwords differ.
          </p>
        )}
        {reset.error && (
          <p className="error" role="alert">
            {problemText(reset.error, 'The password could not be changed. Try again.')}
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || reset.isPending}>
          Set the new password
        </button>
      </form>
      {reset.error?.data?.type?.endsWith('/invalid-token') && (
        <p className="hint">
          <a href="/forgot-password">Send a new link</a>
        </p>
      )}
    </section>
  )
}
