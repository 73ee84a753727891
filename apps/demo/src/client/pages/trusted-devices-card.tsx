import { useTrustedDevices } from '@acme/auth-react'
import type { ReactElement } from 'react'
import { formatTime } from '../format.js'

/** The browsers remembered after a second factor ("Remember this device for 30 days"): forget one to be asked again. */
export function TrustedDevicesCard(): ReactElement | null {
  const devices = useTrustedDevices()
  // A server that does not remember devices answers 404: nothing to show then.
  if (devices.list.error?.status === 404) return null
  return (
    <section className="card">
      <h2>Remembered devices</h2>
      <p className="muted">These browsers skip the second factor when you sign in with your password. Forget one to be asked again.</p>
      {devices.list.isPending && <p className="muted">Loading…</p>}
      {devices.list.error && <p className="error">Remembered devices could not be loaded.</p>}
      {devices.list.data?.length === 0 && <p className="muted" data-testid="no-trusted-devices">No remembered devices.</p>}
      {devices.list.data && devices.list.data.length > 0 && (
        <table className="table" data-testid="trusted-devices">
          <thead>
            <tr>
              <th>Browser</th>
              <th>Remembered</th>
              <th>Last used</th>
              <th>Until</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {devices.list.data.map((device) => (
              <tr key={device.id} data-trusted-device-id={device.id}>
                <td>
                  {device.label}
                  {device.current && <span className="badge">This browser</span>}
                </td>
                <td>{formatTime(device.createdAt)}</td>
                <td>{device.lastUsedAt ? formatTime(device.lastUsedAt) : 'Not yet'}</td>
                <td>{formatTime(device.expiresAt)}</td>
                <td className="actions">
                  <button type="button" className="button button-quiet" disabled={devices.forget.isPending} onClick={() => devices.forget.mutate(device.id)}>
                    Forget
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
