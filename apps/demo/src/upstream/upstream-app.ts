import { definePolicies, type PolicySubject } from '@acme/auth-core'
import { problem, problemErrorHandler, ProblemError, requireAccessToken } from '@acme/auth-server'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { Note } from '../shared/page-state.js'
import type { NotesStore } from './notes-store.js'

/** Owner checks live here, in the API that owns the data; the web app cannot bypass them. */
export const notePolicies = definePolicies({
  'note.read': (user: PolicySubject, note: Note) => note.ownerId === user.id || { allowed: false, reason: 'not_owner' },
  'note.update': (user: PolicySubject, note: Note) => note.ownerId === user.id || { allowed: false, reason: 'not_owner' },
})

const notFound = () => new ProblemError(problem(404, 'not-found', 'Not Found'))

function noteInput(body: unknown): { title: string; body: string } {
  const input = body as { title?: unknown; body?: unknown } | undefined
  const title = typeof input?.title === 'string' ? input.title.trim() : ''
  const text = typeof input?.body === 'string' ? input.body : ''
  if (title.length === 0 || title.length > 120 || text.length > 2000) {
    throw new ProblemError(problem(400, 'invalid-note', 'Bad Request', 'A note needs a title (at most 120 characters) and a body of at most 2000.'))
  }
  return { title, body: text }
}

/**
 * The upstream notes API. It trusts nothing but a Bearer access token that verifies against the
 * web app's JWKS, for this API's audience; it never sees a cookie.
 */
export function createUpstreamApp(options: { jwksUrl: string; issuer: string; audience: string; notes: NotesStore }): Express {
  const { notes } = options
  const app = express()
  app.disable('x-powered-by')
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true })
  })
  app.use(requireAccessToken({ jwksUrl: options.jwksUrl, issuer: options.issuer, audience: options.audience }))
  app.use(express.json({ limit: '8kb' }))

  const subject = (req: Request): PolicySubject => ({ id: req.accessToken!.sub, roles: req.accessToken!.roles })
  const load = async (req: Request, action: 'note.read' | 'note.update') => {
    const note = await notes.get(String(req.params.id))
    if (!note) throw notFound()
    const decision = notePolicies.can(subject(req), action, note)
    if (!decision.allowed) throw new ProblemError(problem(403, 'forbidden', 'Forbidden', decision.reason))
    return note
  }

  // A debugging aid: the verified claims (ids, roles, times; no name, no email).
  app.get('/me', (req, res) => {
    res.json(req.accessToken)
  })
  app.get('/notes', async (req, res) => {
    res.json(await notes.list(subject(req).id))
  })
  app.post('/notes', async (req, res) => {
    res.status(201).json(await notes.create(subject(req).id, noteInput(req.body)))
  })
  app.get('/notes/:id', async (req, res) => {
    res.json(await load(req, 'note.read'))
  })
  app.put('/notes/:id', async (req, res) => {
    const note = await load(req, 'note.update')
    res.json(await notes.update(note.id, noteInput(req.body)))
  })
  app.delete('/notes/:id', async (req, res) => {
    const note = await load(req, 'note.update')
    await notes.remove(note.id)
    res.status(204).end()
  })
  app.use((_req) => {
    throw notFound()
  })
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (!(error instanceof ProblemError)) console.error('[upstream]', error)
    next(error)
  })
  app.use(problemErrorHandler())
  return app
}
