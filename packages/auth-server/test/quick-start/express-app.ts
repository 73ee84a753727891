import express from 'express'
import { createSessionManager, MemorySessionStore, type PasswordHasher } from '@acme/auth-core'
import { createAuth, problemErrorHandler, requireAuth, type UserDirectory } from '@acme/auth-server'

export function createApp(users: UserDirectory, passwords: PasswordHasher) {
  const auth = createAuth({
    sessions: createSessionManager({ store: new MemorySessionStore() }),
    users, // { findByEmail, findById, updatePasswordHash? }: your user directory
    passwords, // createPasswordHasher() from @acme/auth-core/argon2: argon2id
    http: { origin: 'http://localhost:3000', secret: process.env.AUTH_SECRET! },
  })

  const app = express()
  app.use(auth.middleware()) // req.auth: { user, session, strategy } | null
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => res.json(req.auth!.user))
  app.use(problemErrorHandler())
  return app // app.listen(3000)
}
