import request from 'supertest'

interface TokenAnswer {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: string
}
const body = (res: request.Response) => res.body as TokenAnswer
import { describe, expect, it } from 'vitest'
import express from 'express'
import { browser, createTestApp, origin, setCookies } from '../../test/fixtures.js'
import { requireAccessToken } from '../express/access-token-guard.js'
import { problemErrorHandler } from '../express/error-handler.js'

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

describe('native clients: audience, sign-out and Bearer on /auth/*', () => {
  const api = 'https://api.example.com'
  const nativeLogin = async (app: Parameters<typeof request>[0], email = 'bob@example.com', password = 'bob-password') =>
    body(await request(app).post('/auth/login').send({ email, password, client: 'native' }))
  const refreshWith = (app: Parameters<typeof request>[0], refreshToken: string) =>
    request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken })

  it('a native access token carries the configured audience, so the API it is for accepts it (after a refresh too)', async () => {
    const { app, tokens } = await createTestApp({ nativeClients: true, nativeAudience: api })
    const upstream = express()
    upstream.get('/me', requireAccessToken({ keyRing: tokens!.keyRing, issuer: origin, audience: api }), (req, res) => {
      res.json(req.accessToken)
    })
    upstream.use(problemErrorHandler())
    const first = await nativeLogin(app)
    const me = await request(upstream).get('/me').set('authorization', `Bearer ${first.access_token}`)
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ sub: 'u-bob', aud: api })
    const next = body(await refreshWith(app, first.refresh_token))
    expect((await request(upstream).get('/me').set('authorization', `Bearer ${next.access_token}`)).status).toBe(200)
    // A browser's token is still for the app itself, not for the API.
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    expect((await request(upstream).get('/me').set('authorization', `Bearer ${bob.cookie('__Host-access') ?? 'none'}`)).status).toBe(401)
  })

  it('POST /auth/revoke (RFC 7009) ends the family and its session; 200 always, 400 without a token, 403 when disabled', async () => {
    const { app, sessions } = await createTestApp({ nativeClients: true, nativeAudience: api })
    const first = await nativeLogin(app)
    expect(await sessions.listForUser('u-bob')).toHaveLength(1)
    const revoked = await request(app).post('/auth/revoke').type('form').send({ token: first.refresh_token, token_type_hint: 'refresh_token' })
    expect(revoked.status).toBe(200)
    expect(setCookies(revoked)).toEqual([])
    expect((await refreshWith(app, first.refresh_token)).status).toBe(401)
    expect(await sessions.listForUser('u-bob')).toEqual([])
    expect((await request(app).get('/auth/session').set('authorization', `Bearer ${first.access_token}`)).status).toBe(401)
    // Unknown, repeated, or JSON: still 200.
    expect((await request(app).post('/auth/revoke').type('form').send({ token: first.refresh_token })).status).toBe(200)
    expect((await request(app).post('/auth/revoke').send({ token: 'not-a-token' })).status).toBe(200)
    expect((await request(app).post('/auth/revoke').send({})).status).toBe(400)
    const { app: disabled } = await createTestApp({ tokens: true })
    expect((await request(disabled).post('/auth/revoke').send({ token: 'x' })).status).toBe(403)
  })

  it('Bearer on /auth/*: session, sessions, revoke one, logout and logout-all, with no cookie and no CSRF', async () => {
    const { app } = await createTestApp({ nativeClients: true, nativeAudience: api })
    const phone = await nativeLogin(app)
    const bearer = { authorization: `Bearer ${phone.access_token}` }
    const session = await request(app).get('/auth/session').set(bearer)
    expect(session.status).toBe(200)
    expect(session.body).toMatchObject({ user: { id: 'u-bob', email: 'bob@example.com' } })
    expect(setCookies(session)).toEqual([])
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const list = (await request(app).get('/auth/sessions').set(bearer)).body as { id: string; current: boolean }[]
    expect(list).toHaveLength(2)
    const browserSession = list.find((entry) => !entry.current)!
    expect((await request(app).delete(`/auth/sessions/${browserSession.id}`).set(bearer)).status).toBe(204)
    expect((await bob.get('/auth/session')).body).toEqual({ user: null })

    const logout = await request(app).post('/auth/logout').set(bearer)
    expect(logout.status).toBe(204)
    expect((await refreshWith(app, phone.refresh_token)).status).toBe(401)
    // The session has ended: the still-unexpired access token no longer works on /auth/*.
    expect((await request(app).post('/auth/logout').set(bearer)).status).toBe(401)
    expect((await request(app).get('/auth/sessions').set(bearer)).status).toBe(401)
  })

  it('logout-all with a Bearer token ends every session of the user, browsers included; a bad Bearer token is 401', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const phone = await nativeLogin(app)
    const tablet = await nativeLogin(app)
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    expect((await request(app).post('/auth/logout-all').set('authorization', `Bearer ${phone.access_token}`)).status).toBe(204)
    expect((await refreshWith(app, tablet.refresh_token)).status).toBe(401)
    expect((await bob.get('/auth/session')).body).toEqual({ user: null })
    const forged = `${phone.access_token.slice(0, -4)}AAAA`
    const bad = await request(app).get('/auth/sessions').set('authorization', `Bearer ${forged}`)
    expect(bad.status).toBe(401)
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/)
    // The native token calls never look at a Bearer header.
    const login = await request(app).post('/auth/login').set('authorization', `Bearer ${forged}`).send({ email: 'bob@example.com', password: 'bob-password', client: 'native' })
    expect(login.status).toBe(200)
  })

  it("only a native sign-in's tokens act through Bearer: a browser's access token or a BFF-style token for its session is 401", async () => {
    const { app, tokens } = await createTestApp({ nativeClients: true, nativeAudience: api })
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const session = (await bob.get('/auth/session')).body as { session: { id: string } }
    // What an upstream API receives from the BFF: a token of the browser's session, for the API's audience.
    const handedToUpstream = await tokens!.accessTokens.issue({ sub: 'u-bob', sid: session.session.id, roles: ['member'], aud: api })
    for (const token of [bob.cookie('__Host-access') ?? 'none', handedToUpstream.token]) {
      expect((await request(app).post('/auth/logout-all').set('authorization', `Bearer ${token}`)).status).toBe(401)
      expect((await request(app).get('/auth/sessions').set('authorization', `Bearer ${token}`)).status).toBe(401)
    }
    expect((await bob.get('/auth/session')).body).toMatchObject({ user: { id: 'u-bob' } })
  })

  it('a request with a Bearer header AND an auth cookie goes the cookie way, CSRF included', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const phone = await nativeLogin(app)
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const forged = await bob.raw('post', '/auth/logout').unset('x-csrf-token').set('authorization', `Bearer ${phone.access_token}`)
    expect(forged.status).toBe(403)
    expect((await bob.get('/auth/session')).body).toMatchObject({ user: { id: 'u-bob' } })
    expect((await refreshWith(app, phone.refresh_token)).status).toBe(200)
  })
})
