import { createTestClock } from '@acme/auth-testing'
import type { Express } from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, type TestApp } from '../../test/fixtures.js'
import { requireAuth } from '../express/guards.js'

/** Takes alice's admin role away in the directory (what an admin screen of the app would do). */
function demoteAlice(users: TestApp['users']) {
  users.get('alice@example.com')!.roles = ['member']
}

/** A route of the app's own that demotes the caller and tells auth with the request and response. */
function addDemoteSelf(app: Express, { auth, users }: TestApp) {
  app.post('/account/step-down', requireAuth(), async (req, res) => {
    demoteAlice(users)
    const user = await auth.updateUser(req.auth!.user.id, req, res)
    res.json({ roles: user?.roles, auth: req.auth })
  })
}

describe('auth.updateUser: roles are no longer frozen at sign-in', () => {
  it('session strategy: every session of the user loses the role on its next request', async () => {
    const test = await createTestApp()
    const laptop = browser(test.app)
    const phone = browser(test.app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    expect((await laptop.get('/api/admin')).status).toBe(200)
    demoteAlice(test.users)
    expect(await test.auth.updateUser('u-alice')).toMatchObject({ id: 'u-alice', roles: ['member'] })
    expect((await laptop.get('/api/admin')).status).toBe(403)
    expect((await phone.get('/api/admin')).status).toBe(403)
    expect((await phone.get('/auth/session')).body).toMatchObject({ user: { roles: ['member'] } })
  })

  it('session strategy with req/res: the current session gets a new token at once, the old one is dead', async () => {
    const test = await createTestApp()
    addDemoteSelf(test.app, test)
    const alice = browser(test.app)
    await alice.login('alice@example.com', 'alice-password')
    const before = alice.cookie('__Host-sid')!
    const res = await alice.post('/account/step-down')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ roles: ['member'], auth: { user: { roles: ['member'] } } })
    expect(alice.cookie('__Host-sid')).not.toBe(before)
    expect((await alice.get('/api/admin')).status).toBe(403)
    expect((await alice.get('/api/me')).status).toBe(200)
    expect((await request(test.app).get('/api/me').set('cookie', `__Host-sid=${before}`)).status).toBe(401)
  })

  it('token strategy: the role goes at the next refresh (at most one access-token lifetime later)', async () => {
    const clock = createTestClock(Date.now())
    const test = await createTestApp({ strategy: 'token', clock })
    const alice = browser(test.app)
    await alice.login('alice@example.com', 'alice-password')
    demoteAlice(test.users)
    await test.auth.updateUser('u-alice')
    // The access JWT already issued keeps its roles until it expires: the documented lag.
    expect((await alice.get('/api/admin')).status).toBe(200)
    clock.advance(11 * 60_000)
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    expect((await alice.get('/api/admin')).status).toBe(403)
    expect((await alice.get('/api/me')).body).toMatchObject({ user: { id: 'u-alice', roles: ['member'] } })
  })

  it('token strategy with req/res on an app route: a new access cookie with the new roles at once', async () => {
    const test = await createTestApp({ strategy: 'token' })
    addDemoteSelf(test.app, test)
    const alice = browser(test.app)
    await alice.login('alice@example.com', 'alice-password')
    const before = alice.cookie('__Host-access')!
    expect((await alice.post('/account/step-down')).status).toBe(200)
    expect(alice.cookie('__Host-access')).not.toBe(before)
    expect((await alice.get('/api/admin')).status).toBe(403)
    // The refresh cookie's family carries the new roles too.
    expect((await alice.post('/auth/refresh')).status).toBe(204)
    expect((await alice.get('/api/admin')).status).toBe(403)
  })

  it('native clients: the next POST /auth/token mints the new roles', async () => {
    const test = await createTestApp({ nativeClients: true })
    const login = await request(test.app).post('/auth/login').send({ email: 'alice@example.com', password: 'alice-password', client: 'native' })
    demoteAlice(test.users)
    await test.auth.updateUser('u-alice')
    const next = await request(test.app).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: (login.body as { refresh_token: string }).refresh_token })
    const session = await request(test.app).get('/auth/session').set('authorization', `Bearer ${(next.body as { access_token: string }).access_token}`)
    expect(session.body).toMatchObject({ user: { roles: ['member'] } })
  })

  it('a user the directory no longer has is signed out everywhere', async () => {
    const test = await createTestApp({ strategy: 'token' })
    const alice = browser(test.app)
    await alice.login('alice@example.com', 'alice-password')
    test.users.delete('alice@example.com')
    expect(await test.auth.updateUser('u-alice')).toBeNull()
    expect(await test.sessions.listForUser('u-alice')).toEqual([])
    expect((await alice.post('/auth/refresh')).status).toBe(401)
  })
})
