import { MemorySecondFactorStore } from '@acme/auth-core'
import { createTestClock, createTotpCode, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAccountsApp, tokenOf } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'
import { enrolledUser, type Browser } from '../../test/mfa-helpers.js'

// The account routes that end every remembered device of the user: password reset and change,
// and account deletion (logout-all and factor removal: trusted-device-routes.test.ts).
const mfaRequired = { mfaRequired: true, methods: ['totp', 'recovery'] }

async function setup() {
  const clock = createTestClock()
  const store = new MemorySecondFactorStore()
  const kit = await createAccountsApp({ clock, secondFactors: { store, rememberDevice: {} } })
  const { secret } = await enrolledUser(kit.app, clock)
  const remembered = async (b: Browser) => {
    await b.login('alice@example.com', 'alice-password')
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: true })
    expect(verified.status).toBe(200)
    b.csrf = (verified.body as { csrfToken: string }).csrfToken
    clock.advance(30_000)
    expect(b.cookie('__Host-device')).toBeDefined()
  }
  const devicesOfAlice = () => store.listTrustedDevices('u-alice', clock.now())
  return { kit, clock, remembered, devicesOfAlice }
}

describe('account changes forget remembered devices', () => {
  it('POST /auth/password/reset: every device of the user, so the next sign-in is challenged', async () => {
    const { kit, remembered, devicesOfAlice } = await setup()
    const laptop = browser(kit.app)
    await remembered(laptop)
    const anonymous = browser(kit.app)
    await anonymous.fetchCsrf()
    expect((await anonymous.post('/auth/password/forgot', { email: 'alice@example.com' })).status).toBe(202)
    const token = tokenOf(await kit.mailTo('alice@example.com', /reset/i))
    trackSecrets(token)
    expect(await devicesOfAlice()).toHaveLength(1)
    expect((await anonymous.post('/auth/password/reset', { token, password: 'a-new-password-for-alice' })).status).toBe(204)
    expect(await devicesOfAlice()).toEqual([])
    await laptop.fetchCsrf()
    expect((await laptop.login('alice@example.com', 'a-new-password-for-alice')).body).toEqual(mfaRequired)
  })

  it('POST /auth/password: every device, this browser included', async () => {
    const { kit, remembered, devicesOfAlice } = await setup()
    const [here, there] = [browser(kit.app), browser(kit.app)]
    await remembered(here)
    await remembered(there)
    const changed = await here.post('/auth/password', { currentPassword: 'alice-password', newPassword: 'a-new-password-for-alice' })
    expect(changed.status).toBe(204)
    expect(await devicesOfAlice()).toEqual([])
    await there.fetchCsrf()
    expect((await there.login('alice@example.com', 'a-new-password-for-alice')).body).toEqual(mfaRequired)
  })

  it('DELETE /auth/account: the devices go with the account', async () => {
    const { kit, remembered, devicesOfAlice } = await setup()
    const b = browser(kit.app)
    await remembered(b)
    expect((await b.delete('/auth/account')).status).toBe(204)
    expect(await devicesOfAlice()).toEqual([])
  })
})
