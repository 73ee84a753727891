import { randomUUID } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import type { Note } from '../shared/page-state.js'

/** Where the upstream keeps notes: a Map, or one Redis hash when REDIS_URL or REDIS_CLUSTER_NODES is set. */
export interface NotesStore {
  list(ownerId: string): Promise<Note[]>
  get(id: string): Promise<Note | null>
  create(ownerId: string, input: { title: string; body: string }): Promise<Note>
  update(id: string, input: { title: string; body: string }): Promise<Note | null>
  remove(id: string): Promise<boolean>
}

const newNote = (ownerId: string, input: { title: string; body: string }): Note => ({
  id: randomUUID(),
  ownerId,
  title: input.title,
  body: input.body,
  updatedAt: new Date().toISOString(),
})

const byDate = (a: Note, b: Note) => b.updatedAt.localeCompare(a.updatedAt)

export function createMemoryNotesStore(): NotesStore {
  const notes = new Map<string, Note>()
  return {
    list: (ownerId) => Promise.resolve([...notes.values()].filter((note) => note.ownerId === ownerId).sort(byDate)),
    get: (id) => Promise.resolve(notes.get(id) ?? null),
    create(ownerId, input) {
      const note = newNote(ownerId, input)
      notes.set(note.id, note)
      return Promise.resolve(note)
    },
    update(id, input) {
      const note = notes.get(id)
      if (!note) return Promise.resolve(null)
      const next = { ...note, ...input, updatedAt: new Date().toISOString() }
      notes.set(id, next)
      return Promise.resolve(next)
    },
    remove: (id) => Promise.resolve(notes.delete(id)),
  }
}

export function createRedisNotesStore(client: Redis | Cluster, key: string): NotesStore {
  const read = (raw: string | null): Note | null => (raw === null ? null : (JSON.parse(raw) as Note))
  return {
    async list(ownerId) {
      const all = Object.values(await client.hgetall(key)).map((raw) => JSON.parse(raw) as Note)
      return all.filter((note) => note.ownerId === ownerId).sort(byDate)
    },
    get: async (id) => read(await client.hget(key, id)),
    async create(ownerId, input) {
      const note = newNote(ownerId, input)
      await client.hset(key, note.id, JSON.stringify(note))
      return note
    },
    async update(id, input) {
      const note = read(await client.hget(key, id))
      if (!note) return null
      const next = { ...note, ...input, updatedAt: new Date().toISOString() }
      await client.hset(key, id, JSON.stringify(next))
      return next
    },
    remove: async (id) => (await client.hdel(key, id)) > 0,
  }
}
