// A real @acme/auth-server app on 127.0.0.1, wired the way its README tells users to wire it.
import { createSessionManager, MemorySessionStore, type SessionManager } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createAuth, problemErrorHandler, requireAuth } from '@acme/auth-server'
import { createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import express from 'express'
import type { AddressInfo } from 'node:net'

/** The origin the tests' "browser" page runs on (happy-dom's default location). */
export const appOrigin = 'http://localhost:3000'
const secret = 'auth-react-test-secret-0123456789-abcdefgh'

export interface TestServer {
  /** Where the server listens, e.g. http://127.0.0.1:49152 */
  url: string
  sessions: SessionManager
  close(): Promise<void>
}

/** Alice (admin, `alice-password`) and Bob (member, `bob-password`). */
export async function startTestServer(): Promise<TestServer> {
  // Core's scrypt hasher at a cost that keeps tests fast (hash cost is tested in core).
  const passwords = createScryptHasher({ logN: 10 })
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const auth = createAuth({
    sessions,
    passwords,
    users: createTestUserDirectory([alice, bob]),
    http: { origin: appOrigin, secret },
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => {
    res.json({ id: req.auth!.user.id })
  })
  app.use(problemErrorHandler())
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
