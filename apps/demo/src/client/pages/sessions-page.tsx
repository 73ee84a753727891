import { useRevokeSession, useSessions, useSignOut } from '@acme/auth-react'
import type { ReactElement } from 'react'
import { describeDevice, formatTime } from '../format.js'
import { navigateOnce } from '../navigate.js'
import { TrustedDevicesCard } from './trusted-devices-card.js'

/** The devices signed in to this account: revoke one, or sign out everywhere; the remembered browsers: forget one. */
export function SessionsPage(): ReactElement {
  const sessions = useSessions()
  const revoke = useRevokeSession()
  const signOut = useSignOut()
  return (
    <>
      <section className="page-head">
        <h1>Devices</h1>
        <p className="muted">Every browser and app signed in to your account. Revoking one signs it out on its next request.</p>
      </section>
      <section className="card">
        {sessions.isPending && <p className="muted">Loading…</p>}
        {sessions.error && <p className="error">Devices could not be loaded.</p>}
        <table className="table" data-testid="sessions">
          <thead>
            <tr>
              <th>Device</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sessions.data?.map((device) => (
              <tr key={device.id} data-session-id={device.id}>
                <td>
                  <span className="device" title={device.userAgent ?? ''}>{describeDevice(device.userAgent)}</span>
                  {device.current && <span className="badge">This device</span>}
                </td>
                <td>{formatTime(device.createdAt)}</td>
                <td>{formatTime(device.lastSeenAt)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(device.id, device.current ? { onSuccess: () => navigateOnce('/login') } : {})}
                  >
                    {device.current ? 'Sign out' : 'Revoke'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <TrustedDevicesCard />
      <section className="card danger-zone">
        <div>
          <h2>Sign out everywhere</h2>
          <p className="muted">Ends every session of this account, this one included.</p>
        </div>
        <button
          type="button"
          className="button button-danger"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate({ everywhere: true }, { onSuccess: () => navigateOnce('/login') })}
        >
          Sign out everywhere
        </button>
      </section>
    </>
  )
}
