import { useMfaChallenge, useSignInWithPasskey, useVerifyMfa, type MfaMethod } from '@acme/auth-react'
import { useState, type ReactElement } from 'react'
import { field } from '../format.js'

/** The second step of a sign-in whose password was right: a code from the authenticator app, a recovery code, or a passkey. */
export function SecondFactorForm({ onSignedIn }: { onSignedIn: () => void }): ReactElement {
  const challenge = useMfaChallenge()
  const verify = useVerifyMfa()
  const passkey = useSignInWithPasskey()
  const [method, setMethod] = useState<Extract<MfaMethod, 'totp' | 'recovery'>>(challenge.methods.includes('totp') ? 'totp' : 'recovery')
  const [rememberDevice, setRememberDevice] = useState(false)
  const error = verify.error
  return (
    <div data-testid="second-factor">
      <h2>Second factor</h2>
      <form
        className="form"
        method="post"
        onSubmit={(event) => {
          event.preventDefault()
          const form = new FormData(event.currentTarget)
          verify.mutate({ method, code: field(form, 'code').trim(), rememberDevice }, { onSuccess: onSignedIn })
        }}
      >
        <label>
          {method === 'totp' ? 'Code from your authenticator app' : 'Recovery code'}
          <input
            key={method}
            name="code"
            autoComplete="one-time-code"
            inputMode={method === 'totp' ? 'numeric' : 'text'}
            required
            data-testid="mfa-code"
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="rememberDevice" checked={rememberDevice} onChange={(event) => setRememberDevice(event.currentTarget.checked)} data-testid="remember-device" />
          Remember this device for 30 days
        </label>
        {error && (
          <p className="error" role="alert">
            {error.status === 429
              ? 'Too many attempts. Try again later.'
              : error.data?.type?.endsWith('/mfa-expired')
                ? 'The sign-in expired. Sign in again.'
                : 'That code is not right.'}
          </p>
        )}
        <button className="button" type="submit" disabled={verify.isPending}>
          Verify
        </button>
      </form>
      <p className="hint">
        {method === 'totp' && challenge.methods.includes('recovery') && (
          <button type="button" className="button button-quiet" onClick={() => setMethod('recovery')}>
            Use a recovery code
          </button>
        )}
        {method === 'recovery' && challenge.methods.includes('totp') && (
          <button type="button" className="button button-quiet" onClick={() => setMethod('totp')}>
            Use the authenticator app
          </button>
        )}
        {challenge.methods.includes('passkey') && (
          <button type="button" className="button button-quiet" disabled={passkey.isPending} onClick={() => passkey.mutate({ rememberDevice }, { onSuccess: onSignedIn })}>
            Use a passkey
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={() => challenge.cancel()}>
          Start over
        </button>
      </p>
    </div>
  )
}
