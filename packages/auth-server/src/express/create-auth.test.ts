import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createTestApp, origin } from '../../test/fixtures.js'
import { problemErrorHandler } from './error-handler.js'

const bob = { id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'] }

describe('createAuth extension points', () => {
  it.each(['session', 'token'] as const)('issueSession (%s): a Cookie header and CSRF token that work at once', async (strategy) => {
    const { app, auth } = await createTestApp({ strategy, tokens: true })
    const { cookie, csrfToken, auth: issued } = await auth.issueSession(bob)
    expect(issued.user.id).toBe('u-bob')
    expect((await request(app).get('/api/me').set('cookie', cookie)).body).toMatchObject({ user: { id: 'u-bob' }, strategy })
    const logout = await request(app).post('/auth/logout').set('cookie', cookie).set('origin', origin).set('x-csrf-token', csrfToken)
    expect(logout.status).toBe(204)
  })

  it('signIn from an app route (e.g. an OAuth callback) creates a new session and a bound CSRF token', async () => {
    const { app, auth } = await createTestApp()
    app.post('/custom-sign-in', async (req, res) => {
      const outcome = await auth.signIn(req, res, bob, { authLevel: 'oidc' })
      if (outcome.mfaRequired) throw new Error('bob has no second factor')
      res.json({ csrfToken: outcome.csrfToken, payload: await auth.sessionPayload(req, res) })
    })
    app.use(problemErrorHandler())
    const res = await request(app).post('/custom-sign-in')
    const sid = (res.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('__Host-sid='))!
    const me = await request(app).get('/auth/session').set('cookie', sid.split(';')[0]!)
    expect(me.body).toMatchObject({ user: { id: 'u-bob', name: 'Bob' } })
  })

  it('sessionPayload is { user: null } for an anonymous request', async () => {
    const { app, auth } = await createTestApp()
    app.get('/ssr', async (req, res) => {
      res.json(await auth.sessionPayload(req, res))
    })
    expect((await request(app).get('/ssr')).body).toEqual({ user: null })
  })
})
