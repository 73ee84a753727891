import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../test/fixtures.js'
import { problemErrorHandler } from './error-handler.js'
import { requireAuth } from './guards.js'

const bob = { id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'] }

describe('req.auth on Express requests', () => {
  it('is read and written as a property, in the app and in a mounted sub-app, and adds no own property to req', async () => {
    const { auth } = await createTestApp()
    const { cookie } = await auth.issueSession(bob)
    const app = express()
    app.use(auth.middleware())
    const seen: Array<{ where: string; user: string | undefined; own: boolean }> = []
    const sub = express()
    sub.get('/me', requireAuth(), (req, res) => {
      seen.push({ where: 'sub-app', user: req.auth?.user.id, own: Object.hasOwn(req, 'auth') })
      res.json(req.auth)
    })
    app.use('/sub', sub)
    app.get('/me', (req, res) => {
      seen.push({ where: 'app', user: req.auth?.user.id, own: Object.hasOwn(req, 'auth') })
      res.json({ auth: req.auth })
    })
    // An app may overwrite it, as with any property: the next reader sees the new value.
    app.get('/replaced', (req, res) => {
      req.auth = null
      res.json({ auth: req.auth })
    })
    app.use(problemErrorHandler())

    const inSub = await request(app).get('/sub/me').set('Cookie', cookie)
    expect(inSub.status).toBe(200)
    expect(inSub.body).toMatchObject({ user: { id: 'u-bob', roles: ['member'] }, strategy: 'session' })
    expect((await request(app).get('/me').set('Cookie', cookie)).body).toMatchObject({ auth: { user: { id: 'u-bob' } } })
    // Anonymous: null, not the previous request's identity.
    expect((await request(app).get('/me')).body).toEqual({ auth: null })
    expect((await request(app).get('/sub/me')).status).toBe(401)
    expect((await request(app).get('/replaced').set('Cookie', cookie)).body).toEqual({ auth: null })
    expect(seen).toEqual([
      { where: 'sub-app', user: 'u-bob', own: false },
      { where: 'app', user: 'u-bob', own: false },
      { where: 'app', user: undefined, own: false },
    ])
  })

  it('is undefined on a request the middleware did not see (a route mounted before it)', async () => {
    const { auth } = await createTestApp()
    const { cookie } = await auth.issueSession(bob)
    const app = express()
    app.get('/before', (req, res) => {
      res.json({ missing: req.auth === undefined })
    })
    app.use(auth.middleware())
    app.get('/after', (req, res) => {
      res.json({ user: req.auth?.user.id })
    })
    expect((await request(app).get('/after').set('Cookie', cookie)).body).toEqual({ user: 'u-bob' })
    expect((await request(app).get('/before').set('Cookie', cookie)).body).toEqual({ missing: true })
  })
})
