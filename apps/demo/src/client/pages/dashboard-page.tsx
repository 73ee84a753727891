import { useAuthFetch, useSession } from '@acme/auth-react'
import { useQuery } from '@tanstack/react-query'
import type { ReactElement } from 'react'
import { useDeleteNote, useNotes } from '../use-notes.js'
import { NoteForm } from './note-form.js'

/** Your notes, read and written through the BFF (`/api/*` → the upstream API). */
export function DashboardPage(): ReactElement {
  const session = useSession()
  const notes = useNotes()
  const remove = useDeleteNote()
  const firstName = session.user?.name.split(' ')[0] ?? ''
  return (
    <>
      <section className="page-head">
        <h1 data-testid="greeting">{`Hello, ${firstName}`}</h1>
        <p className="muted">Your notes live in a separate API that only accepts short-lived Bearer tokens. This page reaches it through the BFF.</p>
      </section>
      <div className="grid">
        <section className="card">
          <h2>Your notes</h2>
          {notes.isPending && <p className="muted">Loading notes…</p>}
          {notes.error && <p className="error">Notes could not be loaded ({notes.error.status ?? 'network error'}).</p>}
          {notes.data?.length === 0 && <p className="muted">No notes yet.</p>}
          <ul className="notes" data-testid="notes">
            {notes.data?.map((note) => (
              <li key={note.id} className="note">
                <div>
                  <a href={`/notes/${note.id}`} className="note-title">{note.title}</a>
                  <p className="note-body">{note.body}</p>
                </div>
                <button type="button" className="button button-quiet" onClick={() => remove.mutate(note.id)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2>New note</h2>
          <NoteForm />
        </section>
      </div>
      <TokenClaims />
    </>
  )
}

/** What the upstream saw in its Bearer token (`GET /api/me`): no personal data, only ids and roles. */
function TokenClaims(): ReactElement {
  const api = useAuthFetch()
  const me = useQuery({ queryKey: ['me'], queryFn: () => api<Record<string, unknown>>('/api/me') })
  return (
    <details className="card claims">
      <summary>The access token the API received</summary>
      <p className="muted">Claims verified by the upstream through the web app&apos;s JWKS. The token itself never reaches this page.</p>
      <pre data-testid="claims">{me.data ? JSON.stringify(me.data, null, 2) : me.error ? 'Could not load.' : 'Loading…'}</pre>
    </details>
  )
}
