import express from 'express'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, createTestTokens, origin } from '../../test/fixtures.js'
import { requireAccessToken } from './access-token-guard.js'
import { problemErrorHandler } from './error-handler.js'

let tokens: Awaited<ReturnType<typeof createTestTokens>>
let jwksServer: Server
let jwksUrl: string

beforeAll(async () => {
  const app = (await createTestApp({ tokens: true })).app
  tokens = await createTestTokens()
  app.get('/.well-known/jwks.json', async (_req, res) => {
    res.json(await tokens.keyRing.jwks())
  })
  jwksServer = await new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server))
  })
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`
})
afterAll(() => {
  jwksServer.close()
})

function upstream(options: Parameters<typeof requireAccessToken>[0]) {
  const app = express()
  app.use(requireAccessToken(options))
  app.get('/me', (req, res) => {
    // Both are accessors on Express's request prototype, not new own properties of req.
    res.json({ claims: req.accessToken, auth: req.auth, own: Object.hasOwn(req, 'accessToken') || Object.hasOwn(req, 'auth') })
  })
  app.use(problemErrorHandler())
  return app
}

describe('requireAccessToken', () => {
  it('accepts a token verified through the JWKS URL and exposes the claims', async () => {
    const api = upstream({ jwksUrl, issuer: origin, audience: origin })
    const { token } = await tokens.accessTokens.issue({ sub: 'u-alice', sid: 's1', roles: ['admin'], scope: 'notes:read' })
    const res = await request(api).get('/me').set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ claims: { sub: 'u-alice', roles: ['admin'] }, auth: { user: { id: 'u-alice' }, strategy: 'bearer' }, own: false })
  })

  it('401 with WWW-Authenticate for a missing, malformed, forged or wrong-audience token', async () => {
    const api = upstream({ keyRing: tokens.keyRing, issuer: origin, audience: 'notes-api' })
    const wrongAudience = (await tokens.accessTokens.issue({ sub: 'u', sid: 's', roles: [] })).token
    const other = await createTestTokens()
    const forged = (await other.accessTokens.issue({ sub: 'u', sid: 's', roles: [], aud: 'notes-api' })).token
    for (const header of [undefined, 'Basic abc', 'Bearer', 'Bearer not a token', `Bearer ${wrongAudience}`, `Bearer ${forged}`]) {
      const req = request(api).get('/me')
      const res = await (header ? req.set('authorization', header) : req)
      expect(res.status, header).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    }
  })

  it('403 insufficient_scope when a required scope is missing', async () => {
    const api = upstream({ keyRing: tokens.keyRing, issuer: origin, audience: origin, scopes: ['notes:write'] })
    const { token } = await tokens.accessTokens.issue({ sub: 'u', sid: 's', roles: [], scope: 'notes:read' })
    const res = await request(api).get('/me').set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(403)
    expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"')
  })
})
