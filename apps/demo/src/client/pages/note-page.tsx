import type { ReactElement } from 'react'
import { useNote } from '../use-notes.js'
import { NoteForm } from './note-form.js'
import { formatTime } from '../format.js'

/** One note; the upstream refuses (403) a note that is not yours. */
export function NotePage({ noteId }: { noteId: string }): ReactElement {
  const note = useNote(noteId)
  return (
    <section className="card narrow">
      <p>
        <a href="/">← Your notes</a>
      </p>
      {note.isPending && <p className="muted">Loading…</p>}
      {note.error && (
        <>
          <h1>{note.error.status === 403 ? 'Not your note' : note.error.status === 404 ? 'No such note' : 'Could not load this note'}</h1>
          <p className="error" role="alert" data-testid="note-error">
            {note.error.status === 403
              ? 'The notes API refused: this note belongs to someone else (403).'
              : `The notes API answered ${note.error.status ?? 'nothing'}.`}
          </p>
        </>
      )}
      {note.data && (
        <>
          <h1>{note.data.title}</h1>
          <p className="muted">Last changed {formatTime(note.data.updatedAt)}</p>
          <NoteForm note={note.data} />
        </>
      )}
    </section>
  )
}
