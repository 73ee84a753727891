import { createTotpCode } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { origin } from '../../test/fixtures.js'
import { createMfaApp, enrolledUser } from '../../test/mfa-helpers.js'
import { createFetchAuth } from './index.js'

/** Plain `Request`s with a cookie jar: the Fetch adapter serves the same MFA routes from the same core. */
function fetchClient(handler: (request: Request) => Promise<Response>) {
  const jar = new Map<string, string>()
  let csrf = ''
  const send = async (method: string, path: string, body?: unknown) => {
    const headers = new Headers({ origin })
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    if (method !== 'GET') headers.set('x-csrf-token', csrf)
    if (body !== undefined) headers.set('content-type', 'application/json')
    const response = await handler(new Request(`${origin}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!
      const name = pair.slice(0, pair.indexOf('='))
      if (/max-age=0/i.test(line)) jar.delete(name)
      else jar.set(name, pair.slice(pair.indexOf('=') + 1))
    }
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null
    if (typeof json?.csrfToken === 'string') csrf = json.csrfToken
    return { status: response.status, json, response }
  }
  return { jar, send }
}

describe('second factors through the Fetch adapter (one core, every adapter)', () => {
  it('a password gives only __Host-mfa; POST /auth/mfa/verify gives the session', async () => {
    const { app, auth, clock } = await createMfaApp()
    const { secret } = await enrolledUser(app, clock)
    const fetchAuth = createFetchAuth(auth.core)
    const client = fetchClient((request) => fetchAuth.handler(request))
    await client.send('GET', '/auth/csrf')
    const login = await client.send('POST', '/auth/login', { email: 'alice@example.com', password: 'alice-password' })
    expect(login.json).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] })
    expect([...client.jar.keys()].sort()).toEqual(['__Host-csrf', '__Host-mfa'])
    expect((await client.send('GET', '/auth/session')).json).toEqual({ user: null })
    const verified = await client.send('POST', '/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(verified.status).toBe(200)
    expect(client.jar.has('__Host-mfa')).toBe(false)
    expect(client.jar.has('__Host-sid')).toBe(true)
    expect((await client.send('GET', '/auth/session')).json).toMatchObject({ user: { id: 'u-alice' }, session: { authLevel: 'mfa' } })
  })

  it('checkAuthLevel(request, "mfa"): 401 unauthenticated signed out, 401 mfa-required on a password session, null after POST /auth/mfa/step-up', async () => {
    const { auth, clock } = await createMfaApp()
    const fetchAuth = createFetchAuth(auth.core)
    const client = fetchClient((request) => fetchAuth.handler(request))
    const guarded = async () => {
      const cookie = [...client.jar].map(([name, value]) => `${name}=${value}`).join('; ')
      const refused = await fetchAuth.checkAuthLevel(new Request(`${origin}/admin/danger`, { method: 'POST', headers: { origin, cookie } }), 'mfa')
      if (!refused) return null
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      return { status: refused.status, type: ((await refused.json()) as { type: string }).type }
    }

    expect(await guarded()).toEqual({ status: 401, type: 'https://acme.dev/problems/unauthenticated' })
    // No factor yet: the password alone signs in; enrolling one does not raise the session.
    await client.send('GET', '/auth/csrf')
    expect((await client.send('POST', '/auth/login', { email: 'alice@example.com', password: 'alice-password' })).status).toBe(200)
    expect(await guarded()).toEqual({ status: 401, type: 'https://acme.dev/problems/mfa-required' })
    const started = await client.send('POST', '/auth/mfa/totp')
    const secret = new URL(started.json!.otpauthUrl as string).searchParams.get('secret')!
    expect((await client.send('POST', '/auth/mfa/totp/confirm', { code: createTotpCode(secret, clock) })).status).toBe(200)
    expect(await guarded()).toEqual({ status: 401, type: 'https://acme.dev/problems/mfa-required' })

    clock.advance(30_000)
    const stepped = await client.send('POST', '/auth/mfa/step-up', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(stepped.json).toMatchObject({ session: { authLevel: 'mfa' } })
    expect(await guarded()).toBeNull()
  })
})
