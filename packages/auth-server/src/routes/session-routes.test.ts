import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, setCookies } from '../../test/fixtures.js'

describe('GET /auth/session', () => {
  it('says { user: null } when signed out, never cached', async () => {
    const { app } = await createTestApp()
    const res = await request(app).get('/auth/session')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ user: null })
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('describes the user, the session and a CSRF token bound to it', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    const login = await client.login('alice@example.com', 'alice-password')
    const res = await client.get('/auth/session')
    expect(res.body).toMatchObject({
      user: { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] },
      session: { id: expect.any(String) as string, expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string },
      csrfToken: (login.body as { csrfToken: string }).csrfToken,
    })
  })

  it('a session whose user was deleted ends', async () => {
    const { app, users } = await createTestApp()
    const client = browser(app)
    await client.login('bob@example.com', 'bob-password')
    users.delete('bob@example.com')
    expect((await client.get('/auth/session')).body).toEqual({ user: null })
    expect((await client.get('/api/me')).status).toBe(401)
  })
})

describe('POST /auth/logout and /auth/logout-all', () => {
  it('logout kills the token everywhere and clears the cookie with Max-Age=0', async () => {
    const { app, sessions } = await createTestApp()
    const client = browser(app)
    await client.login('alice@example.com', 'alice-password')
    const token = client.cookie('__Host-sid')!
    const res = await client.post('/auth/logout')
    expect(res.status).toBe(204)
    expect(setCookies(res).find((line) => line.startsWith('__Host-sid=;'))).toMatch(/Max-Age=0/)
    expect(await sessions.validate(token)).toBeNull()
    // Replaying the old cookie after logout does not sign anyone in.
    expect((await request(app).get('/api/me').set('cookie', `__Host-sid=${token}`)).status).toBe(401)
  })

  it('logout without a session is still 204', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    await client.fetchCsrf()
    expect((await client.post('/auth/logout')).status).toBe(204)
  })

  it('logout-all ends every session of the user and no one else’s', async () => {
    const { app } = await createTestApp()
    const laptop = browser(app)
    const phone = browser(app)
    const other = browser(app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    await other.login('bob@example.com', 'bob-password')
    expect((await laptop.post('/auth/logout-all')).status).toBe(204)
    expect((await laptop.get('/api/me')).status).toBe(401)
    expect((await phone.get('/api/me')).status).toBe(401)
    expect((await other.get('/api/me')).status).toBe(200)
  })

  it('logout-all needs a signed-in user', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    await client.fetchCsrf()
    const res = await client.post('/auth/logout-all')
    expect(res.status).toBe(401)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe('GET /auth/sessions and DELETE /auth/sessions/:id', () => {
  it('lists my devices with the current one marked', async () => {
    const { app } = await createTestApp()
    const laptop = browser(app)
    const phone = browser(app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    const res = await laptop.get('/auth/sessions', { 'user-agent': 'Laptop/1' })
    expect(res.status).toBe(200)
    const list = res.body as { id: string; current: boolean; createdAt: string; lastSeenAt: string; userAgent: string | null }[]
    expect(list).toHaveLength(2)
    expect(list.filter((session) => session.current)).toHaveLength(1)
    for (const session of list) expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'id', 'lastSeenAt', 'userAgent'])
  })

  it('revokes another of my devices: that device is signed out on its next request', async () => {
    const { app } = await createTestApp()
    const laptop = browser(app)
    const phone = browser(app)
    await laptop.login('alice@example.com', 'alice-password')
    await phone.login('alice@example.com', 'alice-password')
    const list = (await laptop.get('/auth/sessions')).body as { id: string; current: boolean }[]
    const phoneSession = list.find((session) => !session.current)!
    expect((await laptop.delete(`/auth/sessions/${phoneSession.id}`)).status).toBe(204)
    expect((await phone.get('/api/me')).status).toBe(401)
    expect((await laptop.get('/api/me')).status).toBe(200)
  })

  it('answers 404 for a session that is not mine, and leaves it alone', async () => {
    const { app } = await createTestApp()
    const alice = browser(app)
    const bob = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    await bob.login('bob@example.com', 'bob-password')
    const bobSession = ((await bob.get('/auth/sessions')).body as { id: string }[])[0]!
    const res = await alice.delete(`/auth/sessions/${bobSession.id}`)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect((await bob.get('/api/me')).status).toBe(200)
    expect((await alice.delete('/auth/sessions/not..valid')).status).toBe(400)
  })

  it('needs a signed-in user', async () => {
    const { app } = await createTestApp()
    expect((await request(app).get('/auth/sessions')).status).toBe(401)
  })
})

describe('cookies from hostile clients', () => {
  it('garbage, oversized or unknown session cookies are anonymous (401 on protected routes) and get cleared', async () => {
    const { app } = await createTestApp()
    for (const value of ['garbage', 'a.b', `${'x'.repeat(30)}.${'y'.repeat(43)}`, 'z'.repeat(8000), '%E0%A4%A', '"unterminated']) {
      const res = await request(app).get('/api/me').set('cookie', `__Host-sid=${value}`)
      expect(res.status, value.slice(0, 20)).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    }
    const cleared = await request(app).get('/auth/session').set('cookie', '__Host-sid=garbage')
    expect(cleared.body).toEqual({ user: null })
    expect(setCookies(cleared).some((line) => line.startsWith('__Host-sid=;') && line.includes('Max-Age=0'))).toBe(true)
  })

  it('a duplicated session cookie is refused with 400 problem+json and cleared', async () => {
    const { app } = await createTestApp()
    const client = browser(app)
    await client.login('alice@example.com', 'alice-password')
    const token = client.cookie('__Host-sid')!
    const res = await request(app).get('/api/me').set('cookie', `__Host-sid=${token}; __Host-sid=attacker.value`)
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(setCookies(res).some((line) => line.startsWith('__Host-sid=;'))).toBe(true)
  })

  it('a Cookie header past Node’s limit is refused before any handler (431), never a 500', async () => {
    const { app } = await createTestApp()
    const res = await request(app).get('/auth/session').set('cookie', `a=${'x'.repeat(20_000)}`)
    expect(res.status).toBe(431)
  })
})

describe('Origin header handling', () => {
  it('the router answers unknown /auth paths with 404 problem+json', async () => {
    const { app } = await createTestApp()
    const res = await request(app).get('/auth/nope').set('origin', origin)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
