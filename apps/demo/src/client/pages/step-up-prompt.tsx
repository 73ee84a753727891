import { useMfaFactors, useStepUp, type AuthFetchError } from '@acme/auth-react'
import { useState, type ReactElement } from 'react'
import { field } from '../format.js'

/** Whether a failed request is the server's problem `type` ending in `/<slug>` (`mfa-required`, `reauthenticate`). */
export function isProblem(error: unknown, slug: string): boolean {
  const data = (error as Partial<AuthFetchError> | null)?.data
  return typeof data?.type === 'string' && data.type.endsWith(`/${slug}`)
}

/**
 * Asked when a guarded action answered 401 `…/mfa-required`: a code from the authenticator app
 * or a recovery code raises this session (`POST /auth/mfa/step-up`), then `onSteppedUp` retries
 * the action. Without a factor that can step up, it says so and links to the security page.
 */
export function StepUpPrompt({ action, onSteppedUp, onCancel }: { action: string; onSteppedUp: () => void; onCancel: () => void }): ReactElement {
  const factors = useMfaFactors()
  const stepUp = useStepUp()
  const [chosen, setMethod] = useState<'totp' | 'recovery' | null>(null)
  const totp = factors.data?.totp === true
  const recovery = (factors.data?.recoveryCodes ?? 0) > 0
  const method = chosen ?? (totp ? 'totp' : 'recovery')
  const cancel = (
    <button type="button" className="button button-quiet" onClick={onCancel}>
      Cancel
    </button>
  )
  if (!factors.data) {
    return (
      <section className="card" data-testid="step-up" aria-live="polite">
        <p>{factors.error ? 'Your second factors could not be loaded.' : 'Checking your second factors…'}</p>
        {cancel}
      </section>
    )
  }
  if (!totp && !recovery) {
    return (
      <section className="card" data-testid="step-up" role="alert">
        <h2>Confirm with a second factor</h2>
        <p>
          To {action}, confirm it with an authenticator app or a recovery code.{' '}
          {factors.data.passkeys > 0 ? 'A passkey cannot confirm an action yet, and you have neither.' : 'You have no second factor yet.'}{' '}
          <a href="/account/security">Set one up on the security page</a>, then try again.
        </p>
        {cancel}
      </section>
    )
  }
  const error = stepUp.error
  return (
    <section className="card" data-testid="step-up">
      <h2>Confirm with a second factor</h2>
      <p>To {action}, prove it is you once more. This session stays confirmed afterwards.</p>
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          stepUp.mutate({ method, code: field(new FormData(event.currentTarget), 'code').trim() }, { onSuccess: onSteppedUp })
        }}
      >
        <label>
          {method === 'totp' ? 'Code from your authenticator app' : 'Recovery code'}
          <input key={method} name="code" autoComplete="one-time-code" inputMode={method === 'totp' ? 'numeric' : 'text'} required data-testid="step-up-code" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error.status === 429 ? 'Too many attempts. Try again later.' : 'That code is not right.'}
          </p>
        )}
        <button className="button" type="submit" disabled={stepUp.isPending}>
          Confirm
        </button>
      </form>
      <p className="hint">
        {method === 'totp' && recovery && (
          <button type="button" className="button button-quiet" onClick={() => setMethod('recovery')}>
            Use a recovery code
          </button>
        )}
        {method === 'recovery' && totp && (
          <button type="button" className="button button-quiet" onClick={() => setMethod('totp')}>
            Use the authenticator app
          </button>
        )}
        {cancel}
      </p>
    </section>
  )
}
