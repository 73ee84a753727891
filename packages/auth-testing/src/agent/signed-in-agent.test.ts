import {
  createAccessTokens,
  createRefreshFamilies,
  createSessionManager,
  MemoryRefreshStore,
  MemorySessionStore,
  type SessionManager,
} from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
// From source through the vitest alias and tsconfig paths: a test-only use, never a dependency.
import { createAuth, problemErrorHandler, requireAuth, type Auth } from '@acme/auth-server'
import express, { type Express } from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createTestKeyRing } from '../keys/test-key-ring.js'
import { createTestUserDirectory } from '../users/test-user-directory.js'
import { createTestUsers, type TestUser } from '../users/test-user.js'
import { signedInAgent } from './signed-in-agent.js'

const origin = 'https://app.example.com'

async function createApp(strategy: 'session' | 'token' = 'session'): Promise<{ app: Express; auth: Auth; sessions: SessionManager; alice: TestUser; bob: TestUser }> {
  const passwords = createScryptHasher({ logN: 10 })
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  let tokens = {}
  if (strategy === 'token') {
    const keyRing = await createTestKeyRing()
    const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin })
    tokens = { tokens: { keyRing, accessTokens, refreshFamilies: createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions }) } }
  }
  const auth = createAuth({
    sessions,
    passwords,
    users: createTestUserDirectory([alice, bob]),
    http: { origin, secret: 'signed-in-agent-test-secret-0123456789abcdef' },
    strategy,
    ...tokens,
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => {
    res.json(req.auth)
  })
  app.put('/api/notes/1', requireAuth(), (_req, res) => {
    res.json({ saved: true })
  })
  app.use(problemErrorHandler())
  return { app, auth, sessions, alice, bob }
}

describe('signedInAgent', () => {
  it.each(['session', 'token'] as const)('carries a real session (%s strategy) with no sign-in round trip', async (strategy) => {
    const { app, auth, sessions, alice } = await createApp(strategy)
    const agent = await signedInAgent(app, auth, alice, { origin })
    const me = await agent.get('/api/me').expect(200)
    expect(me.body).toMatchObject({ user: { id: 'u-alice', roles: ['admin'] }, strategy })
    expect((await sessions.listForUser(alice.id)).map((session) => session.id)).toEqual([agent.issued.auth.session.id])
    expect((await agent.get('/auth/session').expect(200)).body).toMatchObject({ user: { email: 'alice@example.com', name: 'Alice' } })
  })

  it('sends the CSRF token and Origin on unsafe methods, and they are what lets them through', async () => {
    const { app, auth, bob } = await createApp()
    const agent = await signedInAgent(app, auth, bob, { origin })
    await agent.put('/api/notes/1').send({ text: 'hi' }).expect(200)
    expect((await agent.post('/auth/logout').unset('x-csrf-token')).status).toBe(403)
    expect((await agent.post('/auth/logout').set('origin', 'https://evil.example')).status).toBe(403)
    const wrongOrigin = await signedInAgent(app, auth, bob) // the default origin is not this app's
    expect((await wrongOrigin.delete(`/auth/sessions/${agent.issued.auth.session.id}`)).status).toBe(403)
    await wrongOrigin.get('/api/me').expect(200) // safe methods need neither
  })

  it('is signed out once the app signs it out (the cleared cookies are dropped)', async () => {
    const { app, auth, sessions, alice } = await createApp()
    const agent = await signedInAgent(app, auth, alice, { origin, authLevel: 'mfa' })
    expect((await agent.get('/api/me').expect(200)).body).toMatchObject({ session: { authLevel: 'mfa' } })
    await agent.post('/auth/logout').expect(204)
    await agent.get('/api/me').expect(401)
    expect(await sessions.listForUser(alice.id)).toEqual([])
  })

  it('gives each agent its own session, so two users can act side by side', async () => {
    const { app, auth, alice, bob } = await createApp()
    const [a, b] = await Promise.all([signedInAgent(app, auth, alice, { origin }), signedInAgent(app, auth, bob, { origin })])
    await b.delete(`/auth/sessions/${a.issued.auth.session.id}`).expect(404) // not Bob's
    await a.get('/api/me').expect(200)
    expect((await b.get('/api/me')).body).toMatchObject({ user: { id: 'u-bob' } })
  })

  it('refuses an auth object without issueSession', async () => {
    const { app, alice } = await createApp()
    await expect(signedInAgent(app, {} as never, alice)).rejects.toThrow(/issueSession/)
  })
})

describe('test users on a real server', () => {
  it('sign in through POST /auth/login with user.email and user.password', async () => {
    const { app, alice } = await createApp()
    const csrf = await request(app).get('/auth/csrf').expect(200)
    const csrfToken = (csrf.body as { csrfToken: string }).csrfToken
    const login = (password: string) =>
      request(app)
        .post('/auth/login')
        .set('origin', origin)
        .set('x-csrf-token', csrfToken)
        .set('cookie', `__Host-csrf=${csrfToken}`)
        .send({ email: alice.email, password })
    expect((await login(alice.password)).body).toMatchObject({ user: { id: 'u-alice' } })
    expect((await login('not-her-password')).status).toBe(401)
  })
})
