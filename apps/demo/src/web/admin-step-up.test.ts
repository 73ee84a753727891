import { createScryptHasher } from '@acme/auth-core/argon2'
import { createTotpCode } from '@acme/auth-testing'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminOverview } from '../shared/page-state.js'
import { createAuditLog, type AuditLog } from './audit-log.js'
import { createAuthStores, type AuthStores } from './auth-stores.js'
import { createDemoUsers } from './demo-users.js'
import { createWebApp, type WebApp } from './web-app.js'

// The admin page's step-up action over HTTP: POST /admin/api/users/:id/reset-second-factors.
const origin = 'http://localhost:3000'
const secret = 'a-test-secret-that-is-long-enough-for-csrf'
const problems = 'https://acme.dev/problems/'
let stores: AuthStores
let audit: AuditLog
let web: WebApp

beforeAll(async () => {
  audit = createAuditLog()
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
    audit,
  )
  const passwords = createScryptHasher({ logN: 10 })
  const users = await createDemoUsers(
    [
      { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] },
      { id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'] },
    ],
    passwords,
  )
  web = createWebApp({
    config: { appOrigin: origin, secret, strategy: 'session', upstreamPort: 9, upstreamAudience: 'api' },
    stores,
    users,
    passwords,
    audit,
    assets: () => ({ scripts: ['/assets/entry.js'], styles: [] }),
  })
})
afterAll(async () => {
  await web.close()
  await stores.close()
})

/** A signed-in browser (a fresh password session): its cookies and CSRF token follow every answer. */
async function browserOf(id: 'u-alice' | 'u-bob') {
  const issued = await web.auth.issueSession({ id, email: `${id}@example.com`, name: id, roles: id === 'u-alice' ? ['admin'] : ['member'] })
  const jar = new Map(issued.cookie.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const))
  let csrfToken = issued.csrfToken
  const send = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: object) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const base = request(web.app)[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path).set('cookie', cookie)
    const res = method === 'GET' ? await base : await base.set('origin', origin).set('x-csrf-token', csrfToken).send(body ?? {})
    // The cookies are Secure: supertest's agent would not send them back over http, so by hand.
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const pair = line.split(';', 1)[0]!
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
    if (typeof (res.body as { csrfToken?: unknown }).csrfToken === 'string') csrfToken = (res.body as { csrfToken: string }).csrfToken
    return res
  }
  return { send }
}

/** Enrolls TOTP for the browser's user; the secret, and the step of the code used up confirming it. */
async function enrollTotp(browser: Awaited<ReturnType<typeof browserOf>>) {
  const started = await browser.send('POST', '/auth/mfa/totp')
  expect(started.status).toBe(200)
  const totpSecret = new URL((started.body as { otpauthUrl: string }).otpauthUrl).searchParams.get('secret')!
  const confirmed = await browser.send('POST', '/auth/mfa/totp/confirm', { code: createTotpCode(totpSecret, { now: () => Date.now() }) })
  expect(confirmed.status).toBe(200)
  return totpSecret
}

describe('the step-up admin action: reset a user’s second factors', () => {
  it('401 …/mfa-required (problem+json) until the admin steps up with POST /auth/mfa/step-up, then 200 and the factors are gone', async () => {
    const bob = await browserOf('u-bob')
    await enrollTotp(bob)
    expect((await stores.secondFactors.getTotp('u-bob'))?.status).toBe('active')
    expect(await stores.secondFactors.countRecoveryCodes('u-bob')).toBe(10)

    const alice = await browserOf('u-alice')
    const reset = () => alice.send('POST', '/admin/api/users/u-bob/reset-second-factors')
    const refused = await reset()
    expect(refused.status).toBe(401)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(refused.body).toMatchObject({ type: `${problems}mfa-required`, status: 401 })
    // The rest of the admin API needs no step-up: an admin without a factor can still work.
    expect((await alice.send('GET', '/admin/api/overview')).status).toBe(200)

    // Enrolling a factor does not raise the session: the action is still refused.
    const aliceSecret = await enrollTotp(alice)
    expect((await reset()).body).toMatchObject({ type: `${problems}mfa-required` })
    // The next step's code (the confirming one is used up; ±1 step is accepted).
    const next = createTotpCode(aliceSecret, { now: () => Date.now() + 30_000 })
    const wrong = await alice.send('POST', '/auth/mfa/step-up', { method: 'totp', code: String((Number(next) + 1) % 1_000_000).padStart(6, '0') })
    expect(wrong.body).toMatchObject({ status: 401, type: `${problems}mfa-invalid-code` })
    expect((await reset()).status).toBe(401)

    const stepped = await alice.send('POST', '/auth/mfa/step-up', { method: 'totp', code: next })
    expect(stepped.status).toBe(200)
    expect(stepped.body).toMatchObject({ session: { authLevel: 'mfa' } })
    const done = await reset()
    expect(done.status).toBe(200)
    expect(done.body).toEqual({ removed: ['totp', 'recovery'] })

    // Really gone: the store, the overview, the audit log.
    expect(await stores.secondFactors.getTotp('u-bob')).toBeNull()
    expect(await stores.secondFactors.countRecoveryCodes('u-bob')).toBe(0)
    const overview = (await alice.send('GET', '/admin/api/overview')).body as AdminOverview
    expect(overview.users.find((user) => user.id === 'u-bob')?.secondFactors).toEqual([])
    expect(overview.users.find((user) => user.id === 'u-alice')?.secondFactors).toEqual(['totp', 'recovery'])
    const removals = audit.recent(200).filter((event) => event.type === 'MFA_REMOVED' && event.userId === 'u-bob')
    expect(removals.map((event) => [event.reason, event.data])).toEqual(
      expect.arrayContaining([
        ['admin_reset', { method: 'totp', by: 'u-alice' }],
        ['admin_reset', { method: 'recovery', by: 'u-alice' }],
      ]),
    )
    expect((await alice.send('POST', '/admin/api/users/u-nobody/reset-second-factors')).status).toBe(404)
  })

  it('refuses a member with 403 before any step-up question, and a signed-out caller with 401', async () => {
    const bob = await browserOf('u-bob')
    expect((await bob.send('POST', '/admin/api/users/u-alice/reset-second-factors')).status).toBe(403)
    const anonymous = await request(web.app).post('/admin/api/users/u-alice/reset-second-factors').set('origin', origin)
    expect(anonymous.status).toBe(401)
    expect(anonymous.body).toMatchObject({ type: `${problems}unauthenticated` })
  })
})
