import { useAuthFetch, type AuthFetchError } from '@acme/auth-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type ReactElement } from 'react'
import type { AdminOverview } from '../../shared/page-state.js'
import { formatTime } from '../format.js'
import { HealthPanel } from './health-panel.js'
import { isProblem, StepUpPrompt } from './step-up-prompt.js'

const overviewKey = ['admin', 'overview'] as const

/** Admins only (the server refuses everyone else): users, signing keys and recent audit events. */
export function AdminPage(): ReactElement {
  const api = useAuthFetch()
  const queryClient = useQueryClient()
  const overview = useQuery<AdminOverview, AuthFetchError>({ queryKey: overviewKey, queryFn: () => api<AdminOverview>('/admin/api/overview') })
  const refresh = () => queryClient.invalidateQueries({ queryKey: overviewKey })
  const revokeUser = useMutation({
    mutationFn: (userId: string) => api(`/admin/api/users/${encodeURIComponent(userId)}/revoke-sessions`, { method: 'POST' }),
    onSuccess: refresh,
  })
  const rotate = useMutation({ mutationFn: () => api('/admin/api/keys/rotate', { method: 'POST' }), onSuccess: refresh })
  // Needs a step-up: the first 401 …/mfa-required opens the prompt, which retries once after it.
  const [stepUpFor, setStepUpFor] = useState<string | null>(null)
  const resetFactors = useMutation<{ removed: string[] }, AuthFetchError, { userId: string; retried: boolean }>({
    mutationFn: ({ userId }) => api(`/admin/api/users/${encodeURIComponent(userId)}/reset-second-factors`, { method: 'POST' }),
    onSuccess: refresh,
    onError: (error, { userId, retried }) => {
      if (!retried && isProblem(error, 'mfa-required')) setStepUpFor(userId)
    },
  })
  const resetError = stepUpFor === null ? resetFactors.error : null
  const data = overview.data
  return (
    <>
      <section className="page-head">
        <h1>Admin</h1>
        <p className="muted">Operator tools. Every action here is also in the audit log.</p>
      </section>
      {overview.error && <p className="error">The overview could not be loaded ({overview.error.status ?? 'network error'}).</p>}
      <HealthPanel />
      <section className="card">
        <h2>Users</h2>
        <table className="table" data-testid="admin-users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Roles</th>
              <th>Sessions</th>
              <th>Second factors</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {data?.users.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>{user.roles.join(', ')}</td>
                <td>{user.sessions}</td>
                <td data-testid="second-factors">{user.secondFactors.join(', ') || 'none'}</td>
                <td className="actions">
                  <button type="button" className="button button-quiet" disabled={revokeUser.isPending} onClick={() => revokeUser.mutate(user.id)}>
                    Revoke sessions
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={resetFactors.isPending || user.secondFactors.length === 0}
                    onClick={() => resetFactors.mutate({ userId: user.id, retried: false })}
                  >
                    Reset second factors
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {resetFactors.isSuccess && (
          <p role="status" data-testid="reset-done">
            Second factors removed ({resetFactors.data.removed.join(', ') || 'there were none'}): the password alone signs that user in until they set up a new one.
          </p>
        )}
        {resetError && (
          <p className="error" role="alert">
            {isProblem(resetError, 'reauthenticate') ? (
              <>
                Sign in again to do this. <a href="/login?returnTo=%2Fadmin">Sign in</a>
              </>
            ) : isProblem(resetError, 'mfa-required') ? (
              'This action still needs a second factor.'
            ) : (
              `The second factors could not be reset (${resetError.status ?? 'network error'}).`
            )}
          </p>
        )}
      </section>
      {stepUpFor !== null && (
        <StepUpPrompt
          action="reset a user’s second factors"
          onSteppedUp={() => {
            setStepUpFor(null)
            resetFactors.mutate({ userId: stepUpFor, retried: true })
          }}
          onCancel={() => {
            setStepUpFor(null)
            resetFactors.reset()
          }}
        />
      )}
      <section className="card">
        <div className="card-head">
          <h2>Signing keys</h2>
          <button type="button" className="button button-secondary" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
            Rotate keys now
          </button>
        </div>
        <p className="muted">A new key is published first and signs once every JWKS cache has seen it.</p>
        <table className="table" data-testid="admin-keys">
          <thead>
            <tr>
              <th>Key id</th>
              <th>Algorithm</th>
              <th>Status</th>
              <th>Signs from</th>
            </tr>
          </thead>
          <tbody>
            {data?.keys.map((key) => (
              <tr key={key.kid}>
                <td>
                  <code>{key.kid.slice(0, 16)}…</code>
                </td>
                <td>{key.alg}</td>
                <td>
                  <span className={`badge badge-${key.status}`}>{key.status}</span>
                </td>
                <td>{formatTime(key.activatesAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Recent audit events</h2>
        <table className="table compact" data-testid="admin-events">
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>User</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {data?.events.map((event, index) => (
              <tr key={`${event.at}-${index}`} className={event.outcome === 'failure' ? 'failure' : undefined}>
                <td>{formatTime(event.at)}</td>
                <td>
                  <code>{event.type}</code>
                </td>
                <td>{event.userId ?? ''}</td>
                <td>{event.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
