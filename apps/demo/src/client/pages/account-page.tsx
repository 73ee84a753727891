import { useChangePassword, useDeleteAccount, useLinkedAccounts, useUnlinkAccount, useUser } from '@acme/auth-react'
import { useState, type ReactElement } from 'react'
import { field, formatTime } from '../format.js'
import { navigateOnce } from '../navigate.js'
import { problemText } from '../problem-text.js'
import { useHydrated } from '../use-hydrated.js'

const providerNames: Record<string, string> = { password: 'Password', demo: 'Demo IdP' }

/** Account settings: change the password, the ways to sign in, and deleting the account. */
export function AccountPage(): ReactElement {
  const user = useUser()
  return (
    <>
      <section className="page-head">
        <h1>Account</h1>
        <p className="muted">
          Signed in as {user?.email}. <a href="/account/security">Second factors and passkeys</a>
        </p>
      </section>
      <ChangePassword />
      <SignInMethods />
      <DeleteAccount />
    </>
  )
}

function ChangePassword(): ReactElement {
  const change = useChangePassword()
  const hydrated = useHydrated()
  return (
    <section className="card">
      <h2>Change password</h2>
      <p className="muted">Your other devices will be signed out; this one stays signed in.</p>
      <form
        className="form"
        method="post"
        data-testid="change-password"
        onSubmit={(event) => {
          event.preventDefault()
          const form = event.currentTarget
          const data = new FormData(form)
          change.mutate({ currentPassword: field(data, 'currentPassword'), newPassword: field(data, 'newPassword') }, { onSuccess: () => form.reset() })
        }}
      >
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        {change.error && (
          <p className="error" role="alert">
            {change.error.status === 401 ? 'The current password is not right.' : problemText(change.error, 'The password could not be changed.')}
          </p>
        )}
        {change.isSuccess && (
          <p role="status" data-testid="password-changed">
            Password changed. Your other devices are signed out.
          </p>
        )}
        <button className="button" type="submit" disabled={!hydrated || change.isPending}>
          Change password
        </button>
      </form>
    </section>
  )
}

function SignInMethods(): ReactElement {
  const methods = useLinkedAccounts()
  const unlink = useUnlinkAccount()
  return (
    <section className="card">
      <h2>Ways to sign in</h2>
      {methods.isPending && <p className="muted">Loading…</p>}
      {methods.error && <p className="error">The sign-in methods could not be loaded.</p>}
      <table className="table" data-testid="linked-accounts">
        <tbody>
          {methods.data?.map((method) => (
            <tr key={method.provider} data-provider={method.provider}>
              <td>{providerNames[method.provider] ?? method.provider}</td>
              <td className="muted">{method.linkedAt ? `since ${formatTime(method.linkedAt)}` : ''}</td>
              <td className="actions">
                <button type="button" className="button button-quiet" disabled={unlink.isPending} onClick={() => unlink.mutate(method.provider)}>
                  {method.provider === 'password' ? 'Remove' : 'Unlink'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unlink.error && (
        <p className="error" role="alert">
          {unlink.error.status === 409 ? 'This is your only way to sign in: link another first.' : 'That did not work. Try again.'}
        </p>
      )}
    </section>
  )
}

function DeleteAccount(): ReactElement {
  const remove = useDeleteAccount()
  const [confirming, setConfirming] = useState(false)
  return (
    <section className="card">
      <h2>Delete account</h2>
      <p className="muted">Your account, every session and every way to sign in are deleted. This cannot be undone.</p>
      {!confirming ? (
        <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      ) : (
        <form
          className="form"
          method="post"
          data-testid="delete-account"
          onSubmit={(event) => {
            event.preventDefault()
            remove.mutate({ password: field(new FormData(event.currentTarget), 'password') }, { onSuccess: () => navigateOnce('/login?notice=account-deleted') })
          }}
        >
          <label>
            Your password, to confirm
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {remove.error && (
            <p className="error" role="alert">
              {remove.error.status === 401 ? 'The password is not right.' : problemText(remove.error, 'The account could not be deleted.')}
            </p>
          )}
          <button className="button button-danger" type="submit" disabled={remove.isPending}>
            Delete my account for good
          </button>
        </form>
      )}
    </section>
  )
}
