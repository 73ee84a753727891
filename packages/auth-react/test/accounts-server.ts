// A real @acme/auth-server app with the account routes on, wired as auth-server's README
// ("Accounts") tells users to: the memory directory, the development outbox, links to the app's pages.
import { createOutboxMailer, createSessionManager, MemorySessionStore, type OutboxMailer, type SessionManager } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createAuth, createMemoryUserDirectory, problemErrorHandler, type MemoryUserDirectory } from '@acme/auth-server'
import { createTestClock } from '@acme/auth-testing'
import express from 'express'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { appOrigin, tokensOn } from './test-server.js'

export interface AccountsTestServer {
  url: string
  sessions: SessionManager
  users: MemoryUserDirectory
  outbox: OutboxMailer
  /** A verified user with a password, on a fresh address (the routes limit per address). */
  addUser(password: string, name?: string): Promise<{ id: string; email: string; password: string }>
  /** The token of the newest link mailed to `email` (waits for the mail: it is sent off the request path). */
  tokenMailedTo(email: string): Promise<string>
  close(): Promise<void>
}

export async function startAccountsTestServer(strategy: 'session' | 'token' = 'session'): Promise<AccountsTestServer> {
  const passwords = createScryptHasher({ logN: 10 })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const users = createMemoryUserDirectory()
  const outbox = createOutboxMailer()
  const auth = createAuth({
    sessions,
    passwords,
    users,
    http: { origin: appOrigin, secret: 'auth-react-accounts-test-secret-0123456789' },
    strategy,
    ...(strategy === 'token' ? { tokens: await tokensOn(createTestClock(Date.now()), sessions) } : {}),
    accounts: {
      mailer: outbox,
      links: {
        verify: (token) => `${appOrigin}/verify-email?token=${token}`,
        reset: (token) => `${appOrigin}/reset-password?token=${token}`,
      },
    },
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.use(problemErrorHandler())
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    users,
    outbox,
    async addUser(password, name = 'Ada') {
      const id = `u-${randomUUID()}`
      const email = `${id}@example.com`
      users.add({ id, email, name, passwordHash: await passwords.hash(password) })
      return { id, email, password }
    },
    async tokenMailedTo(email) {
      for (let waited = 0; waited < 5_000; waited += 10) {
        const link = outbox.latest(email)?.links[0]
        if (link) return new URL(link).searchParams.get('token')!
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      throw new Error('no mail arrived')
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
