import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, tokenOf } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'

describe('GET /auth/accounts', () => {
  it('lists password and the linked providers with when they were linked', async () => {
    const kit = await createAccountsApp()
    kit.users.link('u-alice', 'github', Date.UTC(2030, 0, 2))
    const client = browser(kit.app)
    await client.login('alice@example.com', 'alice-password')
    const res = await client.get('/auth/accounts')
    expect(res.status).toBe(200)
    expect(res.body).toEqual([
      { provider: 'password', linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string },
      { provider: 'github', linkedAt: '2030-01-02T00:00:00.000Z' },
    ])
    expect((await browser(kit.app).get('/auth/accounts')).status).toBe(401)
  })
})

describe('DELETE /auth/accounts/:provider', () => {
  it('unlinks a provider (204), then refuses to unlink the last way to sign in (409)', async () => {
    const kit = await createAccountsApp()
    kit.users.link('u-alice', 'github')
    const client = browser(kit.app)
    await client.login('alice@example.com', 'alice-password')
    expect((await client.delete('/auth/accounts/github')).status).toBe(204)
    expect((await client.delete('/auth/accounts/github')).status).toBe(404)
    const last = await client.delete('/auth/accounts/password')
    expect(last.status).toBe(409)
    expect(last.body).toMatchObject({ type: 'https://acme.dev/problems/last-sign-in-method', status: 409 })
    expect((await client.get('/auth/accounts')).body).toEqual([{ provider: 'password', linkedAt: expect.any(String) as string }])
    expect((await client.delete('/auth/accounts/Not%20A%20Name')).status).toBe(400)
  })

  it('unlinking the password leaves the provider as the only way in (the password no longer signs in)', async () => {
    const kit = await createAccountsApp()
    kit.users.link('u-bob', 'corp')
    const client = browser(kit.app)
    await client.login('bob@example.com', 'bob-password')
    expect((await client.delete('/auth/accounts/password')).status).toBe(204)
    expect(kit.users.users.get('u-bob')?.passwordHash).toBeNull()
    expect((await browser(kit.app).login('bob@example.com', 'bob-password')).status).toBe(401)
    expect((await client.delete('/auth/accounts/corp')).status).toBe(409)
  })
})

describe('DELETE /auth/account', () => {
  it('with the password: the user, their sessions, refresh families, provider tokens and one-time tokens are gone', async () => {
    const kit = await createAccountsApp({ strategy: 'token' })
    kit.users.link('u-alice', 'github')
    const ended: string[] = []
    kit.auth.onSessionEnd(({ sessionId }) => void ended.push(sessionId)) // where provider tokens are forgotten
    const client = browser(kit.app)
    const other = browser(kit.app)
    await client.login('alice@example.com', 'alice-password')
    await other.login('alice@example.com', 'alice-password')
    const refresh = other.cookie('__Secure-refresh')!
    const sessionIds = (await kit.sessions.listForUser('u-alice')).map((session) => session.id)
    // A pending reset link, and a verification link.
    await client.post('/auth/password/forgot', { email: 'alice@example.com' })
    const pending = tokenOf(await kit.mailTo('alice@example.com'))
    expect(kit.oneTimeTokens.snapshot().some((record) => record.userId === 'u-alice')).toBe(true)

    const wrong = await client.raw('delete', '/auth/account').send({ password: 'wrong-password' })
    expect(wrong.status).toBe(401)
    const res = await client.raw('delete', '/auth/account').send({ password: 'alice-password' })
    expect(res.status).toBe(204)
    expect(kit.users.users.has('u-alice')).toBe(false)
    expect(await kit.sessions.listForUser('u-alice')).toEqual([])
    expect(ended.sort()).toEqual(sessionIds.sort())
    expect((await kit.tokens!.refreshFamilies.inspect(refresh))?.live).toBe(false)
    expect((await other.post('/auth/refresh')).status).toBe(401)
    expect(kit.oneTimeTokens.snapshot().filter((record) => record.userId === 'u-alice')).toEqual([])
    const stranger = browser(kit.app)
    await stranger.fetchCsrf()
    expect((await stranger.post('/auth/password/reset', { token: pending, password: 'a new passphrase here' })).status).toBe(400)
    expect(String(res.headers['set-cookie'])).toMatch(/__Host-access=; Max-Age=0/)
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)
  })

  it('without a password: only right after signing in (5 minutes by default), else 401 …/reauthenticate', async () => {
    const clock = createTestClock(new Date())
    const kit = await createAccountsApp({ clock })
    const client = browser(kit.app)
    await client.login('bob@example.com', 'bob-password')
    clock.advance(5 * 60_000 + 1000)
    const stale = await client.delete('/auth/account')
    expect(stale.status).toBe(401)
    expect(stale.body).toMatchObject({ type: 'https://acme.dev/problems/reauthenticate' })
    expect(kit.users.users.has('u-bob')).toBe(true)
    await client.login('bob@example.com', 'bob-password')
    expect((await client.delete('/auth/account')).status).toBe(204)
    expect(kit.users.users.has('u-bob')).toBe(false)
    expect(client.cookie('__Host-sid')).toBeUndefined()
  })

  it('needs a signed-in user (401)', async () => {
    const kit = await createAccountsApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    expect((await client.delete('/auth/account')).status).toBe(401)
  })
})
