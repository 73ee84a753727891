import express from 'express'
import { createOutboxMailer, createSessionManager, MemorySessionStore, type PasswordHasher } from '@acme/auth-core'
import { createAuth, createMemoryUserDirectory, createSmtpMailer, problemErrorHandler } from '@acme/auth-server'

export function createApp(passwords: PasswordHasher) {
  const users = createMemoryUserDirectory() // or your UserDirectory with create, markEmailVerified, setPasswordHash, …
  const outbox = createOutboxMailer() // development: every mail kept in memory (outbox.messages())
  const smtpUrl = process.env.SMTP_URL
  const auth = createAuth({
    sessions: createSessionManager({ store: new MemorySessionStore() }),
    users,
    passwords,
    http: { origin: 'http://localhost:3000', secret: process.env.AUTH_SECRET! },
    accounts: {
      mailer: smtpUrl ? createSmtpMailer({ url: smtpUrl, from: 'Acme <auth@example.com>' }) : outbox,
      // Your pages: they read ?token= and POST it to /auth/email/verify or /auth/password/reset.
      links: {
        verify: (token) => `http://localhost:3000/verify-email?token=${token}`,
        reset: (token) => `http://localhost:3000/reset-password?token=${token}`,
      },
    },
  })

  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router()) // + /signup, /email/*, /password/*, /accounts, /account
  app.use(problemErrorHandler())
  return { app, outbox }
}
