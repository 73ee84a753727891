// A real @acme/auth-server app with second factors on (memory store, a test clock for codes) and
// one route behind the step-up guard, wired as auth-server's README tells users to.
import { createSessionManager, MemorySecondFactorStore, MemorySessionStore } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createAuth, createMemoryUserDirectory, problemErrorHandler, requireAuthLevel } from '@acme/auth-server'
import { createTestClock, type TestClock } from '@acme/auth-testing'
import express from 'express'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { appOrigin } from './test-server.js'

export interface SecondFactorsTestServer {
  url: string
  /** The time of TOTP codes and pending sign-ins (it starts now; move it to the next 30-second step). */
  clock: TestClock
  /** A user with a password and no factor, on a fresh address. */
  addUser(password: string): Promise<{ id: string; email: string; password: string }>
  close(): Promise<void>
}

export async function startSecondFactorsTestServer(options: { rememberDevice?: boolean } = {}): Promise<SecondFactorsTestServer> {
  const passwords = createScryptHasher({ logN: 10 })
  const users = createMemoryUserDirectory()
  const clock = createTestClock(Date.now())
  const auth = createAuth({
    sessions: createSessionManager({ store: new MemorySessionStore() }),
    passwords,
    users,
    http: { origin: appOrigin, secret: 'auth-react-mfa-test-secret-0123456789abcdef' },
    secondFactors: { store: new MemorySecondFactorStore(), clock, ...(options.rememberDevice === true ? { rememberDevice: {} } : {}) },
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.post('/api/danger', requireAuthLevel('mfa'), (_req, res) => {
    res.json({ done: true })
  })
  app.use(problemErrorHandler())
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    async addUser(password) {
      const id = `u-${randomUUID()}`
      const email = `${id}@example.com`
      users.add({ id, email, name: 'Ada', passwordHash: await passwords.hash(password) })
      return { id, email, password }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
