import { useAuthFetch, type AuthFetchError } from '@acme/auth-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Note } from '../shared/page-state.js'

/** Query keys of the app's own data (the notes live in the upstream API, reached through the BFF). */
export const noteKeys = {
  all: () => ['notes'] as const,
  one: (id: string) => ['notes', id] as const,
}

export function useNotes() {
  const api = useAuthFetch()
  return useQuery<Note[], AuthFetchError>({ queryKey: noteKeys.all(), queryFn: () => api<Note[]>('/api/notes') })
}

export function useNote(id: string) {
  const api = useAuthFetch()
  return useQuery<Note, AuthFetchError>({ queryKey: noteKeys.one(id), queryFn: () => api<Note>(`/api/notes/${encodeURIComponent(id)}`) })
}

export function useSaveNote() {
  const api = useAuthFetch()
  const queryClient = useQueryClient()
  return useMutation<Note, AuthFetchError, { id?: string; title: string; body: string }>({
    mutationFn: (note) =>
      note.id
        ? api<Note>(`/api/notes/${encodeURIComponent(note.id)}`, { method: 'PUT', body: { title: note.title, body: note.body } })
        : api<Note>('/api/notes', { method: 'POST', body: { title: note.title, body: note.body } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: noteKeys.all() }),
  })
}

export function useDeleteNote() {
  const api = useAuthFetch()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api(`/api/notes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: noteKeys.all() }),
  })
}
