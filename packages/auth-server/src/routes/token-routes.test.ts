import request from 'supertest'

interface TokenAnswer {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: string
}
const body = (res: request.Response) => res.body as TokenAnswer
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin, setCookies } from '../../test/fixtures.js'

describe('native clients', () => {
  it('POST /auth/login with client: native answers tokens, sets no cookie, needs no CSRF, and is a session like any other', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const res = await request(app).post('/auth/login').send({ email: 'bob@example.com', password: 'bob-password', client: 'native' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 600 })
    expect(body(res).access_token).toMatch(/^eyJ/)
    expect(typeof body(res).refresh_token).toBe('string')
    expect(setCookies(res)).toEqual([])
    // It shows in the device list and ends with logout-all.
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    expect((await bob.get('/auth/sessions')).body).toHaveLength(2)
    expect((await bob.post('/auth/logout-all')).status).toBe(204)
    const after = await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: body(res).refresh_token })
    expect(after.status).toBe(401)
  })

  it('a browser sign-in without the CSRF token is still refused', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const res = await request(app).post('/auth/login').set('origin', origin).send({ email: 'bob@example.com', password: 'bob-password' })
    expect(res.status).toBe(403)
  })

  it('POST /auth/token rotates (form or JSON); a reused refresh token is 401 and revokes the family', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const first = body(await request(app).post('/auth/login').send({ email: 'bob@example.com', password: 'bob-password', client: 'native' }))
    const second = await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: first.refresh_token })
    expect(second.status).toBe(200)
    expect(body(second).refresh_token).not.toBe(first.refresh_token)
    const third = await request(app).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: body(second).refresh_token })
    expect(third.status).toBe(200)
    // first was rotated two generations ago: not the immediate predecessor, so it is theft.
    const reuse = await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: first.refresh_token })
    expect(reuse.status).toBe(401)
    expect(reuse.headers['content-type']).toMatch(/^application\/problem\+json/)
    const current = await request(app).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: body(third).refresh_token })
    expect(current.status).toBe(401)
  })

  it('bad token requests are 400, garbage tokens 401', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    expect((await request(app).post('/auth/token').send({ grant_type: 'password', refresh_token: 'x' })).status).toBe(400)
    expect((await request(app).post('/auth/token').send({ grant_type: 'refresh_token' })).status).toBe(400)
    expect((await request(app).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: 'garbage' })).status).toBe(401)
    expect((await request(app).post('/auth/token').set('content-type', 'text/plain').send('grant_type=refresh_token')).status).toBe(415)
  })

  it('are refused with 403 problem+json unless the app enables them', async () => {
    const { app } = await createTestApp({ tokens: true })
    const login = await request(app).post('/auth/login').send({ email: 'bob@example.com', password: 'bob-password', client: 'native' })
    expect(login.status).toBe(403)
    expect(login.body).toMatchObject({ type: 'https://acme.dev/problems/native-clients-disabled' })
    expect((await request(app).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(403)
  })
})

describe('GET /.well-known/jwks.json', () => {
  it('publishes public keys only, with kid, alg and use, cacheable', async () => {
    const { app, auth } = await createTestApp({ tokens: true })
    app.get('/.well-known/jwks.json', auth.jwks())
    const res = await request(app).get('/.well-known/jwks.json')
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/)
    const { keys } = res.body as { keys: Record<string, unknown>[] }
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) {
      expect(typeof key.kid).toBe('string')
      expect(key).toMatchObject({ alg: 'EdDSA', use: 'sig' })
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret)
    }
  })
})
