import { useResendVerification, useVerifyEmail } from '@acme/auth-react'
import type { ReactElement } from 'react'
import { field } from '../format.js'
import { navigateOnce } from '../navigate.js'
import { problemText, tokenFromUrl } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'

/**
 * The mailed verification link lands here. Confirming takes a click (a POST), so a mail
 * scanner that follows the link does not use it up.
 */
export function VerifyEmailPage(): ReactElement {
  const verify = useVerifyEmail()
  const resend = useResendVerification()
  const hydrated = useHydrated()
  return (
    <section className="card narrow">
      <h1>Confirm your email address</h1>
      <p className="muted">Confirming signs you in.</p>
      <button
        className="button wide"
        type="button"
        disabled={!hydrated || verify.isPending || verify.isSuccess}
        onClick={() => verify.mutate(tokenFromUrl(), { onSuccess: () => navigateOnce('/') })}
      >
        Confirm my email address
      </button>
      {verify.error && (
        <>
          <p className="error" role="alert">
            {problemText(verify.error, 'The address could not be confirmed. Try again.')}
          </p>
          {resend.isSuccess ? (
            <p className="hint" data-testid="verification-resent">
              If that address is waiting for confirmation, a new link is on its way.
            </p>
          ) : (
            <form
              className="form hint"
              method="post"
              onSubmit={(event) => {
                event.preventDefault()
                resend.mutate(field(new FormData(event.currentTarget), 'email'))
              }}
            >
              <label>
                Send a new link to
                <input name="email" type="email" autoComplete="email" required />
              </label>
              <button className="button button-secondary" type="submit" disabled={resend.isPending}>
                Send a new link
              </button>
            </form>
          )}
        </>
      )}
    </section>
  )
}
