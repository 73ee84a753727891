import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, settle, tokenOf, type AccountsAppOptions } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'

async function signedInAlice(options: AccountsAppOptions = {}) {
  const kit = await createAccountsApp(options)
  const alice = browser(kit.app)
  expect((await alice.login('alice@example.com', 'alice-password')).status).toBe(200)
  return { ...kit, alice }
}

describe('POST /auth/email/change', () => {
  it('keeps the old address until the link mailed to the new one is used; the old address is told; the link switches and signs in', async () => {
    const kit = await signedInAlice()
    const asked = await kit.alice.post('/auth/email/change', { newEmail: 'Alice.New@Example.com', password: 'alice-password' })
    expect(asked.status).toBe(202)
    expect(asked.body).toEqual({ status: 'accepted' })

    const notice = await kit.mailTo('alice@example.com', /being changed/i)
    expect(notice.text).toContain('alice.new@example.com')
    const confirm = await kit.mailTo('alice.new@example.com', /new email address/i)
    expect(confirm.links[0]).toMatch(/\/verify-email\?token=/)
    // Not yet: the account still signs in (and is found) by its old address.
    expect(kit.users.users.get('u-alice')?.email).toBe('alice@example.com')
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(200)

    const device = browser(kit.app)
    await device.fetchCsrf()
    const verified = await device.post('/auth/email/verify', { token: tokenOf(confirm) })
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({ user: { id: 'u-alice', email: 'alice.new@example.com' } })
    expect(kit.users.users.get('u-alice')).toMatchObject({ email: 'alice.new@example.com', emailVerified: true })
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)
    expect((await browser(kit.app).login('alice.new@example.com', 'alice-password')).status).toBe(200)
    // Once.
    device.csrf = (verified.body as { csrfToken: string }).csrfToken
    expect((await device.post('/auth/email/verify', { token: tokenOf(confirm) })).status).toBe(400)
  })

  it('a taken new address answers the same 202; its owner gets a notice, no link; nothing changes', async () => {
    const kit = await signedInAlice()
    const free = await kit.alice.post('/auth/email/change', { newEmail: 'free@example.com', password: 'alice-password' })
    const taken = await kit.alice.post('/auth/email/change', { newEmail: 'bob@example.com', password: 'alice-password' })
    expect(taken.status).toBe(free.status)
    expect(taken.body).toEqual(free.body)
    const bobs = await kit.mailTo('bob@example.com')
    expect(bobs.subject).toMatch(/already has an account/i)
    expect(bobs.links).toEqual([])
    await settle()
    // The old address hears of both requests (so it learns nothing about which address is taken).
    expect(kit.outbox.messages().filter((message) => message.to === 'alice@example.com' && /being changed/i.test(message.subject))).toHaveLength(2)
    expect(kit.users.users.get('u-alice')?.email).toBe('alice@example.com')
    expect(kit.users.users.get('u-bob')?.email).toBe('bob@example.com')
  })

  it('a link whose address was taken meanwhile is 400 and changes nothing; an edited link matches nothing', async () => {
    const kit = await signedInAlice()
    await kit.alice.post('/auth/email/change', { newEmail: 'carol@example.com', password: 'alice-password' })
    const token = tokenOf(await kit.mailTo('carol@example.com'))
    const parts = token.split('.')
    const edited = [...parts.slice(0, 3), Buffer.from('mallory@example.com').toString('base64url')].join('.')
    const device = browser(kit.app)
    await device.fetchCsrf()
    expect((await device.post('/auth/email/verify', { token: edited })).status).toBe(400)
    kit.users.add({ id: 'u-carol', email: 'carol@example.com' })
    expect((await device.post('/auth/email/verify', { token })).status).toBe(400)
    expect(kit.users.users.get('u-alice')?.email).toBe('alice@example.com')
  })

  it('needs the password (401 when wrong) or a fresh sign-in (else 401 reauthenticate), and a session', async () => {
    const clock = createTestClock(new Date())
    const kit = await signedInAlice({ clock })
    expect((await kit.alice.post('/auth/email/change', { newEmail: 'x@example.com', password: 'wrong password' })).status).toBe(401)
    expect((await kit.alice.post('/auth/email/change', { newEmail: 'x@example.com' })).status).toBe(202)
    clock.advance(301_000)
    const stale = await kit.alice.post('/auth/email/change', { newEmail: 'y@example.com' })
    expect(stale.status).toBe(401)
    expect(stale.body).toMatchObject({ type: 'https://acme.dev/problems/reauthenticate' })
    const anonymous = browser(kit.app)
    await anonymous.fetchCsrf()
    expect((await anonymous.post('/auth/email/change', { newEmail: 'z@example.com', password: 'alice-password' })).status).toBe(401)
    expect((await kit.alice.post('/auth/email/change', { newEmail: 'not an address', password: 'alice-password' })).status).toBe(400)
    expect((await kit.alice.post('/auth/email/change', { newEmail: 'alice@example.com', password: 'alice-password' })).status).toBe(400)
  })

  it("with accounts.tokens.format 'code': a code to the new address, confirmed with { email: newEmail, code }", async () => {
    const kit = await signedInAlice({ accounts: { tokens: { format: 'code' } } })
    expect((await kit.alice.post('/auth/email/change', { newEmail: 'alice2@example.com', password: 'alice-password' })).status).toBe(202)
    const mail = await kit.mailTo('alice2@example.com')
    expect(mail.links).toEqual([])
    const code = /^(\d{6})$/m.exec(mail.text)![1]!
    const device = browser(kit.app)
    await device.fetchCsrf()
    expect((await device.post('/auth/email/verify', { email: 'alice@example.com', code })).status).toBe(400)
    const verified = await device.post('/auth/email/verify', { email: 'alice2@example.com', code })
    expect(verified.status).toBe(200)
    expect(kit.users.users.get('u-alice')?.email).toBe('alice2@example.com')
  })
})
