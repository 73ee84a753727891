import type { ReactElement } from 'react'
import { field } from '../format.js'
import { useSaveNote } from '../use-notes.js'
import { useHydrated } from '../use-hydrated.js'

/** Creates a note, or edits one when `note` is given. */
export function NoteForm({ note, onDone }: { note?: { id: string; title: string; body: string }; onDone?: () => void }): ReactElement {
  const save = useSaveNote()
  const hydrated = useHydrated()
  return (
    <form
      className="form note-form"
      method="post"
      onSubmit={(event) => {
        event.preventDefault()
        const form = event.currentTarget
        const data = new FormData(form)
        save.mutate(
          { ...(note ? { id: note.id } : {}), title: field(data, 'title'), body: field(data, 'body') },
          {
            onSuccess: () => {
              if (!note) form.reset()
              onDone?.()
            },
          },
        )
      }}
    >
      <label>
        Title
        <input name="title" required maxLength={120} defaultValue={note?.title} />
      </label>
      <label>
        Note
        <textarea name="body" rows={3} maxLength={2000} defaultValue={note?.body} />
      </label>
      {save.error && (
        <p className="error" role="alert">
          {save.error.status === 403 ? 'You cannot edit this note.' : 'Saving failed.'}
        </p>
      )}
      <button className="button" type="submit" disabled={!hydrated || save.isPending}>
        {note ? 'Save' : 'Add note'}
      </button>
    </form>
  )
}
