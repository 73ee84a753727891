import { useSignUp } from '@acme/auth-react'
import type { ReactElement } from 'react'
import type { PageState } from '../../shared/page-state.js'
import { field } from '../format.js'
import { navigateOnce } from '../navigate.js'
import { problemText } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'
import { OutboxHint } from './outbox-hint.js'

/** Create an account: the server mails a link to confirm the address (and says nothing about taken ones). */
export function SignUpPage({ page }: { page: PageState }): ReactElement {
  const signUp = useSignUp()
  const hydrated = useHydrated()
  if (signUp.data?.status === 'verification_sent') {
    return (
      <section className="card narrow" data-testid="signup-sent">
        <h1>Check your mail</h1>
        <p>We sent a link to {signUp.variables?.email}. Open it to confirm the address and sign in.</p>
        <OutboxHint page={page} />
      </section>
    )
  }
  return (
    <section className="card narrow">
      <h1>Create an account</h1>
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          const form = new FormData(event.currentTarget)
          signUp.mutate(
            { name: field(form, 'name'), email: field(form, 'email'), password: field(form, 'password') },
            { onSuccess: (result) => result.status === 'signed_in' && navigateOnce('/') },
          )
        }}
      >
        <label>
          Name
          <input name="name" autoComplete="name" maxLength={200} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        {signUp.error && (
          <p className="error" role="alert">
            {problemText(signUp.error, 'Sign-up failed. Try again.')}
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || signUp.isPending}>
          {signUp.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="hint">
        Already have an account? <a href="/login">Sign in</a>
      </p>
    </section>
  )
}
