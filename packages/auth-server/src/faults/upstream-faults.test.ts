import { startFakeUpstream } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'
import { startLocalIssuer } from '../../test/local-issuer.js'

describe('upstream faults through the BFF', () => {
  it('the upstream killed mid-session → 502 problem+json; a slow upstream → 504 at the timeout', async () => {
    const issuer = await startLocalIssuer()
    const upstream = await startFakeUpstream({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience })
    const { app, auth } = await createTestApp()
    const bff = auth.bff({ upstream: upstream.url, tokens: issuer.source, timeoutMs: 400 })
    app.use(bff)
    try {
      const alice = browser(app)
      await alice.login('alice@example.com', 'alice-password')
      expect((await alice.get('/api/notes')).status).toBe(200)

      upstream.behaveNext({ kind: 'slow', delayMs: 3_000 })
      const started = performance.now()
      const slow = await alice.get('/api/notes')
      const waited = performance.now() - started
      expect(slow.status).toBe(504)
      expect(slow.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(waited).toBeGreaterThanOrEqual(350)
      expect(waited).toBeLessThan(1_500)

      await upstream.stop()
      const down = await alice.get('/api/notes')
      expect(down.status).toBe(502)
      expect(down.body).toMatchObject({ status: 502, title: 'Bad Gateway' })
      // The app itself is fine: auth still answers.
      expect((await alice.get('/auth/session')).status).toBe(200)
    } finally {
      await bff.close()
      await issuer.close()
    }
  })
})
