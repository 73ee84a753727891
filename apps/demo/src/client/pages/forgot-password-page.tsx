import { useRequestPasswordReset } from '@acme/auth-react'
import type { ReactElement } from 'react'
import type { PageState } from '../../shared/page-state.js'
import { field } from '../format.js'
import { problemText } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'
import { OutboxHint } from './outbox-hint.js'

/** "Forgot password": the same answer for every address. */
export function ForgotPasswordPage({ page }: { page: PageState }): ReactElement {
  const forgot = useRequestPasswordReset()
  const hydrated = useHydrated()
  if (forgot.isSuccess) {
    return (
      <section className="card narrow" data-testid="reset-sent">
        <h1>Check your mail</h1>
        <p>If an account uses {forgot.variables}, we sent it a link to choose a new password. It works for 30 minutes.</p>
        <OutboxHint page={page} />
      </section>
    )
  }
  return (
    <section className="card narrow">
      <h1>Forgot your password?</h1>
      <p className="muted">We will mail you a link to choose a new one.</p>
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          forgot.mutate(field(new FormData(event.currentTarget), 'email'))
        }}
      >
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        {forgot.error && (
          <p className="error" role="alert">
            {problemText(forgot.error, 'That did not work. Try again.')}
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || forgot.isPending}>
          Send the link
        </button>
      </form>
      <p className="hint">
        <a href="/login">Back to sign-in</a>
      </p>
    </section>
  )
}
