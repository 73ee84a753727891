import { useEnrollTotp, useMfaFactors, usePasskeys, useRecoveryCodes, useSignOut, type AuthFetchError } from '@acme/auth-react'
import { type ReactElement } from 'react'
import { field, formatTime } from '../format.js'
import { problemText } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'

const explain = (error: AuthFetchError | Error, fallback: string) =>
  'status' in error && error.status === 401 && error.data?.type?.endsWith('/reauthenticate')
    ? 'Sign in again to change your second factors (the sign-in must be recent).'
    : 'status' in error
      ? problemText(error, fallback)
      : fallback

const isStale = (error: AuthFetchError | Error | null) => error !== null && 'status' in error && error.status === 401 && error.data?.type?.endsWith('/reauthenticate') === true

/** A changed factor needs a recent sign-in: sign out, and come back here after signing in. */
function SignInAgain(): ReactElement {
  const signOut = useSignOut()
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={signOut.isPending}
      onClick={() => signOut.mutate(undefined, { onSettled: () => window.location.assign('/login?returnTo=%2Faccount%2Fsecurity') })}
    >
      Sign in again
    </button>
  )
}

/** Recovery codes, on screen once: right after they were made, never again. */
function RecoveryCodeList({ codes }: { codes: string[] }): ReactElement {
  return (
    <ul data-testid="recovery-codes">
      {codes.map((code) => (
        <li key={code}>
          <code>{code}</code>
        </li>
      ))}
    </ul>
  )
}

/** Second factors: an authenticator app (TOTP, with its recovery codes shown once) and passkeys. */
export function SecurityPage(): ReactElement {
  return (
    <>
      <section className="page-head">
        <h1>Security</h1>
        <p className="muted">
          A second factor is asked for after your password. <a href="/account">Back to the account</a>
        </p>
      </section>
      <AuthenticatorApp />
      <Passkeys />
    </>
  )
}

function AuthenticatorApp(): ReactElement {
  const factors = useMfaFactors()
  const totp = useEnrollTotp()
  const regenerate = useRecoveryCodes()
  const hydrated = useHydrated()
  const enrollment = totp.start.data
  const codes = totp.confirm.data?.recoveryCodes
  const changeError = totp.remove.error ?? regenerate.error
  const remove = () =>
    totp.remove.mutate(undefined, {
      // The enrollment's results are history now: the card offers a new set-up.
      onSuccess: () => [totp.start, totp.confirm, regenerate].forEach((mutation) => mutation.reset()),
    })
  return (
    <section className="card" data-testid="totp">
      <h2>Authenticator app</h2>
      {codes ? (
        <>
          <p role="status">The authenticator app is on. Keep these recovery codes somewhere safe: they are shown only once.</p>
          <RecoveryCodeList codes={codes} />
        </>
      ) : factors.data?.totp ? (
        <>
          {regenerate.data ? (
            <>
              <p role="status">New recovery codes: the old ones no longer work. Keep these somewhere safe: they are shown only once.</p>
              <RecoveryCodeList codes={regenerate.data.recoveryCodes} />
            </>
          ) : (
            <p>On. {factors.data.recoveryCodes} recovery codes left.</p>
          )}
          {changeError && (
            <p className="error" role="alert">
              {explain(changeError, 'That did not work. Try again.')} {isStale(changeError) && <SignInAgain />}
            </p>
          )}
          <p className="actions">
            <button type="button" className="button button-secondary" data-testid="recovery-regenerate" disabled={!hydrated || regenerate.isPending} onClick={() => regenerate.mutate()}>
              Regenerate recovery codes
            </button>
            <button type="button" className="button button-quiet" data-testid="totp-remove" disabled={!hydrated || totp.remove.isPending} onClick={remove}>
              Remove authenticator app
            </button>
          </p>
        </>
      ) : enrollment ? (
        <form
          className="form"
          method="post"
          onSubmit={(event) => {
            event.preventDefault()
            totp.confirm.mutate(field(new FormData(event.currentTarget), 'code').trim())
          }}
        >
          {/* Server-made SVG, shown as an image: it never becomes markup of this page. */}
          <img data-testid="totp-qr" alt="QR code for the authenticator app" width={200} height={200} src={`data:image/svg+xml,${encodeURIComponent(enrollment.qrSvg)}`} />
          <p className="hint">
            Or enter this key: <code data-testid="totp-url">{enrollment.otpauthUrl}</code>
          </p>
          <label>
            Code from the app
            <input name="code" autoComplete="one-time-code" inputMode="numeric" required data-testid="totp-code" />
          </label>
          {totp.confirm.error && (
            <p className="error" role="alert">
              {explain(totp.confirm.error, 'That code is not right.')}
            </p>
          )}
          <button className="button" type="submit" disabled={totp.confirm.isPending}>
            Turn on
          </button>
        </form>
      ) : (
        <>
          {totp.start.error && (
            <p className="error" role="alert">
              {explain(totp.start.error, 'Could not start.')} {isStale(totp.start.error) && <SignInAgain />}
            </p>
          )}
          <button type="button" className="button" data-testid="totp-start" disabled={!hydrated || totp.start.isPending} onClick={() => totp.start.mutate()}>
            Set up an authenticator app
          </button>
        </>
      )}
    </section>
  )
}

function Passkeys(): ReactElement {
  const passkeys = usePasskeys()
  const hydrated = useHydrated()
  const error = passkeys.register.error ?? passkeys.rename.error ?? passkeys.remove.error
  return (
    <section className="card" data-testid="passkeys">
      <h2>Passkeys</h2>
      <ul>
        {(passkeys.list.data ?? []).map((passkey) => (
          <li key={passkey.id} data-testid="passkey">
            <form
              className="form inline"
              method="post"
              onSubmit={(event) => {
                event.preventDefault()
                passkeys.rename.mutate({ id: passkey.id, name: field(new FormData(event.currentTarget), 'name').trim() })
              }}
            >
              <input name="name" defaultValue={passkey.name} aria-label="Passkey name" required maxLength={64} />
              <button type="submit" className="button button-quiet">
                Rename
              </button>
              <button type="button" className="button button-quiet" onClick={() => passkeys.remove.mutate(passkey.id)}>
                Remove
              </button>
            </form>
            <span className="muted">{passkey.lastUsedAt ? `last used ${formatTime(passkey.lastUsedAt)}` : 'never used'}</span>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {explain(error, 'The passkey could not be saved.')}
        </p>
      )}
      <button type="button" className="button" data-testid="passkey-add" disabled={!hydrated || passkeys.register.isPending} onClick={() => passkeys.register.mutate({ name: 'Passkey' })}>
        Add a passkey
      </button>
    </section>
  )
}
