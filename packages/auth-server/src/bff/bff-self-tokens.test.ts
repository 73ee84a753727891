import { startFakeUpstream } from '@acme/auth-testing'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp, origin } from '../../test/fixtures.js'

describe('auth.bff() with self-minted tokens', () => {
  it('the upstream verifies core’s access token through the app’s JWKS: sub, sid, roles, audience', async () => {
    const { app, auth } = await createTestApp({ tokens: true })
    app.get('/.well-known/jwks.json', auth.jwks())
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
    })
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const upstream = await startFakeUpstream({ jwksUrl: `${base}/.well-known/jwks.json`, issuer: origin, audience: 'notes-api' })
    const bff = auth.bff({ upstream: upstream.url, audience: 'notes-api' })
    app.use(bff)
    try {
      const alice = browser(app)
      await alice.login('alice@example.com', 'alice-password')
      const res = await alice.get('/api/notes')
      expect(res.status).toBe(200)
      const claims = upstream.requests[0]!.claims!
      expect(claims).toMatchObject({ sub: 'u-alice', aud: 'notes-api', iss: origin, roles: ['admin'], acr: 'password' })
      expect(typeof claims.auth_time).toBe('number')
      // Personal data never rides in the token.
      expect(JSON.stringify(claims)).not.toMatch(/alice@example\.com|Alice/)
    } finally {
      await bff.close()
      await upstream.stop()
      server.closeAllConnections()
      server.close()
    }
  })
})
