import { createOutboxMailer } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutboxEntry } from '../shared/page-state.js'
import { createAuditLog } from './audit-log.js'
import { createAuthStores, type AuthStores } from './auth-stores.js'
import { createDemoUsers } from './demo-users.js'
import { createWebApp, type WebApp, type WebAppOptions } from './web-app.js'

const origin = 'http://localhost:3000'
const secret = 'a-test-secret-that-is-long-enough-for-csrf'
let stores: AuthStores
const apps: WebApp[] = []

async function webApp(mail: WebAppOptions['mail']): Promise<WebApp> {
  const passwords = createScryptHasher({ logN: 10 })
  const users = await createDemoUsers([{ id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], password: 'alice-password' }], passwords)
  const web = createWebApp({
    config: { appOrigin: origin, secret, strategy: 'session', upstreamPort: 9, upstreamAudience: 'api' },
    stores,
    users,
    passwords,
    audit: createAuditLog(),
    assets: () => ({ scripts: ['/assets/entry.js'], styles: [] }),
    ...(mail ? { mail } : {}),
  })
  apps.push(web)
  return web
}

beforeAll(async () => {
  stores = await createAuthStores(
    {
      redisUrl: undefined,
      redisClusterNodes: undefined,
      redisPrefix: 'unused:',
      databaseUrl: undefined,
      databaseSchema: 'unused',
      secret,
      appOrigin: origin,
      accessTokenSeconds: 600,
      sessionIdleSeconds: 3600,
      sessionAbsoluteSeconds: 7200,
    },
    createAuditLog(),
  )
})
afterAll(async () => {
  await Promise.all(apps.map((web) => web.close()))
  await stores.close()
})

/** `POST /auth/password/forgot` as a browser on the app's origin would send it. */
async function forgot(web: WebApp, email: string) {
  const csrf = await request(web.app).get('/auth/csrf')
  const { csrfToken } = csrf.body as { csrfToken: string }
  // The cookies are Secure: supertest's agent would not send them back over http, so by hand.
  const cookies = ([] as string[]).concat(csrf.headers['set-cookie'] ?? []).map((line) => line.split(';', 1)[0]!)
  return request(web.app).post('/auth/password/forgot').set('origin', origin).set('cookie', cookies.join('; ')).set('x-csrf-token', csrfToken).send({ email })
}

describe('the account pages and the development outbox', () => {
  it('keeps the mail in development: GET /dev/outbox as JSON, newest first, and as a page', async () => {
    const outbox = createOutboxMailer()
    const web = await webApp({ outbox })
    await outbox.send({ to: 'first@example.com', subject: 'First', text: 'no link here' })
    expect((await forgot(web, 'alice@example.com')).status).toBe(202)
    await expect.poll(() => outbox.messages().length).toBe(2)

    const json = await request(web.app).get('/dev/outbox').set('accept', 'application/json')
    expect(json.status).toBe(200)
    const messages = json.body as OutboxEntry[]
    expect(messages.map((message) => message.to)).toEqual(['alice@example.com', 'first@example.com'])
    expect(Object.keys(messages[0]!).sort()).toEqual(['links', 'subject', 'text', 'to'])
    expect(messages[0]!.links).toHaveLength(1)
    expect(messages[0]!.links[0]).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[\w.-]+$/)

    const page = await request(web.app).get('/dev/outbox').set('accept', 'text/html')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.text).toContain(`href="${messages[0]!.links[0]!}"`)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
  })

  it('has no /dev/outbox without the outbox (production): 404, and the mailing routes are absent', async () => {
    const web = await webApp(undefined)
    expect((await request(web.app).get('/dev/outbox').set('accept', 'application/json')).status).toBe(404)
    expect((await request(web.app).get('/dev/outbox').set('accept', 'text/html')).status).toBe(404)
    expect((await forgot(web, 'alice@example.com')).status).toBe(404)
  })

  it('serves the pages the mailed links open with Referrer-Policy: no-referrer, never cached', async () => {
    const web = await webApp({ outbox: createOutboxMailer() })
    for (const path of ['/reset-password?token=abc', '/verify-email?token=abc']) {
      const res = await request(web.app).get(path)
      expect(res.status).toBe(200)
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['cache-control']).toBe('no-store')
    }
    expect((await request(web.app).get('/signup')).text).toContain('Create an account')
    expect((await request(web.app).get('/forgot-password')).text).toContain('Forgot your password?')
    expect((await request(web.app).get('/account')).headers.location).toBe('/login?returnTo=%2Faccount')
  })
})
