import { Hono } from 'hono'
import { createSessionManager, MemorySessionStore, type PasswordHasher } from '@acme/auth-core'
import type { UserDirectory } from '@acme/auth-server'
import { createFetchAuth } from '@acme/auth-server/fetch'

export function createApp(users: UserDirectory, passwords: PasswordHasher) {
  const auth = createFetchAuth({
    sessions: createSessionManager({ store: new MemorySessionStore() }),
    users,
    passwords,
    http: { origin: 'http://localhost:3000', secret: process.env.AUTH_SECRET! },
  })

  const app = new Hono()
  app.all('/auth/*', (c) => auth.handler(c.req.raw)) // every /auth route, cookies and CSRF included
  app.get('/api/me', async (c) => {
    const { auth: signedIn } = await auth.getAuth(c.req.raw)
    if (!signedIn) return c.json({ type: 'https://acme.dev/problems/unauthenticated', title: 'Unauthorized', status: 401 }, 401)
    return c.json(signedIn.user)
  })
  app.post('/api/notes', async (c) => {
    const refused = await auth.csrf(c.req.raw) // the same CSRF rules as /auth/*
    if (refused) return refused
    return c.json({ ok: true }, 201)
  })
  return app // serve(app) with @hono/node-server, or export it to Bun / Deno / Workers
}
