import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'
import { problemErrorHandler } from './error-handler.js'
import { requireAuth, requireFreshSession, requireRole } from './guards.js'

describe('guards', () => {
  it('requireAuth: 401 anonymous, through when signed in', async () => {
    const { app } = await createTestApp()
    expect((await request(app).get('/api/me')).status).toBe(401)
    const client = browser(app)
    await client.login('bob@example.com', 'bob-password')
    expect((await client.get('/api/me')).status).toBe(200)
  })

  it('requireRole: 403 for a member on an admin route, 401 anonymous', async () => {
    const { app } = await createTestApp()
    expect((await request(app).get('/api/admin')).status).toBe(401)
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const refused = await bob.get('/api/admin')
    expect(refused.status).toBe(403)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    expect((await alice.get('/api/admin')).status).toBe(200)
  })

  it('requireFreshSession: asks to sign in again once the proof is older than maxAge', async () => {
    let now = Date.now()
    const { app } = await createTestApp()
    app.post('/api/delete-account', requireFreshSession(300, () => now), (_req, res) => {
      res.status(204).end()
    })
    app.use(problemErrorHandler())
    const client = browser(app)
    await client.login('alice@example.com', 'alice-password')
    expect((await client.post('/api/delete-account')).status).toBe(204)
    now += 301_000
    const stale = await client.post('/api/delete-account')
    expect(stale.status).toBe(401)
    expect(stale.body).toMatchObject({ type: 'https://acme.dev/problems/reauthenticate' })
  })

  it('a guard without auth.middleware() fails loudly instead of guessing', async () => {
    const app = express()
    app.get('/x', requireAuth(), (_req, res) => {
      res.end()
    })
    let seen: unknown
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen = error
      res.status(500).end()
    })
    await request(app).get('/x')
    expect(String(seen)).toMatch(/mount auth\.middleware\(\) before this guard/)
  })

  it('refuses nonsense at construction', () => {
    expect(() => requireRole()).toThrow(TypeError)
    expect(() => requireFreshSession(0)).toThrow(TypeError)
  })
})
