// A real @acme/auth-server app on 127.0.0.1, wired the way its README tells users to wire it.
import {
  createAccessTokens,
  createAccessTokenVerifier,
  createRefreshFamilies,
  createSessionManager,
  MemoryRefreshStore,
  MemorySessionStore,
  type SessionManager,
} from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createAuth, problemErrorHandler, requireAuth, type Auth } from '@acme/auth-server'
import { createRecordingAuditSink, createTestClock, createTestKeyRing, createTestUserDirectory, createTestUsers, type TestClock } from '@acme/auth-testing'
import express, { type Express } from 'express'
import type { AddressInfo } from 'node:net'

/** The origin the tests' "browser" page runs on (happy-dom's default location). */
export const appOrigin = 'http://localhost:3000'
const secret = 'auth-react-test-secret-0123456789-abcdefgh'

export interface TestServer {
  /** Where the server listens, e.g. http://127.0.0.1:49152 */
  url: string
  sessions: SessionManager
  /** The time of the key ring, access tokens and refresh families (token strategy). */
  clock: TestClock
  close(): Promise<void>
}

/** How long an access token lives on the token strategy (the tests move the clock past it). */
export const accessTokenSeconds = 300

/** Alice (admin, `alice-password`) and Bob (member, `bob-password`), on either strategy. `routes` adds the app's own (pages). */
export async function startTestServer(
  strategy: 'session' | 'token' = 'session',
  routes: (app: Express, auth: Auth) => void = () => undefined,
): Promise<TestServer> {
  // Core's scrypt hasher at a cost that keeps tests fast (hash cost is tested in core).
  const passwords = createScryptHasher({ logN: 10 })
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const clock = createTestClock(Date.now())
  const auth = createAuth({
    sessions,
    passwords,
    users: createTestUserDirectory([alice, bob]),
    http: { origin: appOrigin, secret },
    strategy,
    ...(strategy === 'token' ? { tokens: await tokensOn(clock, sessions) } : {}),
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => {
    res.json({ id: req.auth!.user.id })
  })
  routes(app, auth)
  app.use(problemErrorHandler())
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    clock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** Key ring, access tokens, refresh families and verifier on one clock, as auth-server's README wires them. */
export async function tokensOn(clock: TestClock, sessions: SessionManager) {
  const keyRing = await createTestKeyRing({ clock })
  const accessTokens = createAccessTokens({ keyRing, issuer: appOrigin, audience: appOrigin, lifetimeSeconds: accessTokenSeconds, clock })
  const refreshFamilies = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions, audit: createRecordingAuditSink(), clock })
  const verifier = createAccessTokenVerifier({ keyRing, issuer: appOrigin, audience: appOrigin, clock })
  return { keyRing, accessTokens, refreshFamilies, verifier }
}
