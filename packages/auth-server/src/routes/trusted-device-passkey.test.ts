import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '@acme/auth-testing'
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import { describe, expect, it } from 'vitest'
import { browser, origin } from '../../test/fixtures.js'
import { createMfaApp, type Browser } from '../../test/mfa-helpers.js'

const register = async (b: Browser, authenticator: SoftwareAuthenticator) => {
  const options = (await b.post('/auth/passkeys/register/options')).body as PublicKeyCredentialCreationOptionsJSON
  expect((await b.post('/auth/passkeys', { ...authenticator.register(options), name: 'Laptop' })).status).toBe(201)
}

/** A passkey completing the pending sign-in of this browser, with `rememberDevice`. */
const completeWithPasskey = async (b: Browser, authenticator: SoftwareAuthenticator, rememberDevice: boolean) => {
  const options = (await b.post('/auth/passkeys/login/options')).body as PublicKeyCredentialRequestOptionsJSON
  const res = await b.post('/auth/passkeys/login', { ...authenticator.authenticate(options), rememberDevice })
  expect(res.status).toBe(200)
  b.csrf = (res.body as { csrfToken: string }).csrfToken
}

describe('remember this device with a passkey as the second factor', () => {
  it('a passkey completing a pending sign-in can remember the browser; deleting the last passkey forgets it', async () => {
    const { app } = await createMfaApp({ secondFactors: { rememberDevice: {} } })
    const authenticator = createSoftwareAuthenticator({ origin })
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    await register(b, authenticator)
    await b.post('/auth/logout')
    await b.fetchCsrf()

    expect((await b.login('alice@example.com', 'alice-password')).body).toEqual({ mfaRequired: true, methods: ['passkey'] })
    await completeWithPasskey(b, authenticator, true)
    expect(b.cookie('__Host-device')).toBeDefined()
    await b.post('/auth/logout')
    await b.fetchCsrf()
    const skipped = await b.login('alice@example.com', 'alice-password')
    expect(skipped.body).toMatchObject({ user: { id: 'u-alice' } })
    b.csrf = (skipped.body as { csrfToken: string }).csrfToken
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password', amr: ['pwd'] } })

    // The last passkey goes: so do the remembered devices; a new passkey is asked for again.
    expect((await b.delete(`/auth/passkeys/${authenticator.credentials[0]!.id}`)).status).toBe(204)
    expect((await b.get('/auth/mfa/devices')).body).toEqual([])
    await register(b, createSoftwareAuthenticator({ origin }))
    await b.post('/auth/logout')
    await b.fetchCsrf()
    expect((await b.login('alice@example.com', 'alice-password')).body).toEqual({ mfaRequired: true, methods: ['passkey'] })
  })
})
