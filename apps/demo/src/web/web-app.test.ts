import { createScryptHasher } from '@acme/auth-core/argon2'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InitialState } from '../shared/page-state.js'
import { createAuditLog } from './audit-log.js'
import { createAuthStores, type AuthStores } from './auth-stores.js'
import { createDemoUsers } from './demo-users.js'
import { createWebApp, type WebApp } from './web-app.js'

const hostileName = '</script><script>alert(1)</script>'
const origin = 'http://localhost:3000'
let stores: AuthStores
let web: WebApp

beforeAll(async () => {
  const audit = createAuditLog()
  stores = await createAuthStores(
    {
      redisUrl: undefined,
      redisClusterNodes: undefined,
      redisPrefix: 'unused:',
      databaseUrl: undefined,
      databaseSchema: 'unused',
      secret: 'a-test-secret-that-is-long-enough-for-csrf',
      appOrigin: origin,
      accessTokenSeconds: 600,
      sessionIdleSeconds: 3600,
      sessionAbsoluteSeconds: 7200,
    },
    audit,
  )
  const passwords = createScryptHasher({ logN: 10 })
  const users = await createDemoUsers(
    [
      { id: 'u-mallory', email: 'mallory@example.com', name: hostileName, roles: ['member'] },
      { id: 'u-admin', email: 'admin@example.com', name: 'Ada Admin', roles: ['admin'] },
    ],
    passwords,
  )
  web = createWebApp({
    config: { appOrigin: origin, secret: 'a-test-secret-that-is-long-enough-for-csrf', strategy: 'session', upstreamPort: 9, upstreamAudience: 'api' },
    stores,
    users,
    passwords,
    audit,
    assets: () => ({ scripts: ['/assets/entry.js'], styles: ['/assets/entry.css'] }),
    metrics: (_req, res) => {
      res.type('text/plain').send('acme_auth_logins_total 1\n')
    },
  })
})

afterAll(async () => {
  await web.close()
  await stores.close()
})

const issue = (id: string) => {
  const roles = id === 'u-admin' ? ['admin'] : ['member']
  return web.auth.issueSession({ id, email: `${id}@example.com`, name: id, roles })
}
const signedIn = async (id: string) => (await issue(id)).cookie

describe('the web app', () => {
  it('renders a signed-in page whose embedded state cannot be broken out of by a hostile user name', async () => {
    const res = await request(web.app).get('/').set('cookie', await signedIn('u-mallory'))
    expect(res.status).toBe(200)
    expect(res.text).not.toContain('<script>alert(1)')
    // The name is rendered as text by React…
    expect(res.text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    // …and survives the JSON round trip intact inside the one data element.
    const json = /<script id="initial-state" type="application\/json" nonce="[^"]+">([^<]*)<\/script>/.exec(res.text)![1]!
    expect((JSON.parse(json) as InitialState).session.user?.name).toBe(hostileName)
    expect(res.text.match(/<\/script>/g)).toHaveLength(2) // the data element and the module script
  })

  it('sends a nonce CSP without inline scripts, nosniff, frame-ancestors none and a Referrer-Policy; HSTS only over TLS', async () => {
    const res = await request(web.app).get('/login')
    const csp = res.headers['content-security-policy'] as string
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.text).toContain(`<script type="module" nonce="${nonce}" src="/assets/entry.js">`)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    expect(res.headers['strict-transport-security']).toBeUndefined()
    web.app.set('trust proxy', 'loopback')
    const tls = await request(web.app).get('/login').set('x-forwarded-proto', 'https')
    web.app.set('trust proxy', false)
    expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d+/)
  })

  it('sends anonymous visitors of a protected page to sign in, and back after', async () => {
    const res = await request(web.app).get('/account/sessions')
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/login?returnTo=%2Faccount%2Fsessions')
    const evil = await request(web.app).get('/login?returnTo=//evil.example').set('cookie', await signedIn('u-mallory'))
    expect(evil.headers.location).toBe('/')
  })

  it('refuses the admin page and its API to members, and the API to cross-site requests', async () => {
    const member = await signedIn('u-mallory')
    expect((await request(web.app).get('/admin').set('cookie', member)).status).toBe(403)
    expect((await request(web.app).get('/admin/api/overview').set('cookie', member)).status).toBe(403)
    const admin = await signedIn('u-admin')
    const overview = await request(web.app).get('/admin/api/overview').set('cookie', admin)
    expect(overview.status).toBe(200)
    expect((overview.body as { users: unknown[] }).users).toHaveLength(2)
    const forged = await request(web.app).post('/admin/api/keys/rotate').set('cookie', admin).set('origin', 'https://evil.example')
    expect(forged.status).toBe(403)
  })

  it("checks the admin API's CSRF with the package's guard: a signed token bound to the session, not any cookie = header pair", async () => {
    const { cookie, csrfToken } = await issue('u-admin')
    const sid = /__Host-sid=([^;]+)/.exec(cookie)![1]!
    // Double-submit of a made-up value (what an unsigned check accepts): refused.
    const planted = await request(web.app)
      .post('/admin/api/keys/rotate')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${sid}; __Host-csrf=planted-value`)
      .set('x-csrf-token', 'planted-value')
    expect(planted.status).toBe(403)
    expect(planted.body).toMatchObject({ type: 'https://acme.dev/problems/csrf', detail: 'CSRF check failed: token-invalid.' })
    // A well-formed token of another session (bob's), double-submitted: refused too.
    const other = (await issue('u-mallory')).csrfToken
    const foreign = await request(web.app)
      .post('/admin/api/keys/rotate')
      .set('origin', origin)
      .set('cookie', `__Host-sid=${sid}; __Host-csrf=${other}`)
      .set('x-csrf-token', other)
    expect(foreign.status).toBe(403)
    const crossSite = await request(web.app)
      .post('/admin/api/keys/rotate')
      .set('origin', origin)
      .set('sec-fetch-site', 'cross-site')
      .set('cookie', cookie)
      .set('x-csrf-token', csrfToken)
    expect(crossSite.status).toBe(403)
    // The session's own token from our origin: done.
    const rotated = await request(web.app).post('/admin/api/keys/rotate').set('origin', origin).set('cookie', cookie).set('x-csrf-token', csrfToken)
    expect(rotated.status).toBe(200)
    expect(rotated.body).toMatchObject({ status: 'next' })
  })

  it('serves /metrics to admins only: 401 signed out, 403 for a member, 200 for an admin', async () => {
    const anonymous = await request(web.app).get('/metrics')
    expect(anonymous.status).toBe(401)
    expect(anonymous.text).not.toContain('acme_auth_logins_total')
    const member = await request(web.app).get('/metrics').set('cookie', await signedIn('u-mallory'))
    expect(member.status).toBe(403)
    expect(member.headers['content-type']).toMatch(/^application\/problem\+json/)
    const admin = await request(web.app).get('/metrics').set('cookie', await signedIn('u-admin'))
    expect(admin.status).toBe(200)
    expect(admin.text).toContain('acme_auth_logins_total 1')
  })

  it('answers unknown API paths with problem+json and unknown pages with an HTML 404', async () => {
    const api = await request(web.app).get('/nope').set('accept', 'application/json')
    expect(api.status).toBe(404)
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/)
    const page = await request(web.app).get('/nope').set('accept', 'text/html')
    expect(page.status).toBe(404)
    expect(page.text).toContain('Not found')
  })
})
