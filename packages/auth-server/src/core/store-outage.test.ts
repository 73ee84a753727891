import { createSessionManager } from '@acme/auth-core'
import { RedisSessionStore } from '@acme/auth-core/redis'
import { startRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'

describe('session store outage', () => {
  it('protected routes answer 503 problem+json while Redis is down and work again after it restarts', async () => {
    const redis = await startRedisServer()
    const client = new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => 50 })
    client.on('error', () => {})
    try {
      await client.connect()
      const store = new RedisSessionStore({ client, prefix: 'outage:', timeoutMs: 500 })
      const { app } = await createTestApp({ store, sessions: createSessionManager({ store }) })
      const user = browser(app)
      expect((await user.login('alice@example.com', 'alice-password')).status).toBe(200)
      expect((await user.get('/api/me')).status).toBe(200)

      await redis.stop()
      for (const path of ['/api/me', '/auth/session', '/auth/sessions']) {
        const started = performance.now()
        const res = await user.get(path)
        expect(res.status, path).toBe(503)
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(res.headers['retry-after']).toBe('5')
        expect(res.body).toMatchObject({ status: 503, code: 'ERR_STORE_UNAVAILABLE' })
        expect(performance.now() - started).toBeLessThan(1500)
      }
      expect((await user.login('alice@example.com', 'alice-password')).status).toBe(503)

      await redis.start()
      await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())))
      expect((await user.get('/api/me')).status).toBe(200)
    } finally {
      client.disconnect()
      await redis.close()
    }
  })
})
