import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '@acme/auth-testing'
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import { describe, expect, it } from 'vitest'
import { browser, origin } from '../../test/fixtures.js'
import { cookiesSet, createMfaApp, enrollTotp, type Browser } from '../../test/mfa-helpers.js'

const problemType = (res: { body: unknown }) => (res.body as { type?: string }).type

/** Registers a passkey for the browser's signed-in user. */
async function register(b: Browser, authenticator: SoftwareAuthenticator, name = 'Laptop') {
  const options = await b.post('/auth/passkeys/register/options')
  expect(options.status).toBe(200)
  const creation = options.body as PublicKeyCredentialCreationOptionsJSON
  expect(creation.rp.id).toBe('app.example.com')
  const created = await b.post('/auth/passkeys', { ...authenticator.register(creation), name })
  return created
}

/** A discoverable sign-in: options, the authenticator's assertion (with overrides), the answer. */
async function signIn(b: Browser, authenticator: SoftwareAuthenticator, overrides: Parameters<SoftwareAuthenticator['authenticate']>[1] = {}) {
  if (!b.csrf) await b.fetchCsrf()
  const options = (await b.post('/auth/passkeys/login/options')).body as PublicKeyCredentialRequestOptionsJSON
  const assertion = authenticator.authenticate(options, overrides)
  const res = await b.post('/auth/passkeys/login', assertion)
  if (res.status === 200 && typeof (res.body as { csrfToken?: unknown }).csrfToken === 'string') b.csrf = (res.body as { csrfToken: string }).csrfToken
  return { res, options, assertion }
}

async function withPasskey(options: { userVerified?: boolean } = {}) {
  const mfa = await createMfaApp()
  const authenticator = createSoftwareAuthenticator({ origin, ...options })
  const owner = browser(mfa.app)
  await owner.login('alice@example.com', 'alice-password')
  const created = await register(owner, authenticator)
  expect(created.status).toBe(201)
  return { ...mfa, authenticator, owner, created }
}

describe('passkeys over HTTP (the software authenticator from @acme/auth-testing)', () => {
  it('registers (201), lists, and signs in with a discoverable credential: with user verification, two factors', async () => {
    const { app, authenticator, owner, created } = await withPasskey()
    expect(created.body).toEqual({ id: authenticator.credentials[0]!.id, name: 'Laptop', createdAt: expect.any(String) as unknown, lastUsedAt: null })
    expect((await owner.get('/auth/passkeys')).body).toEqual([created.body])
    const renamed = await owner.raw('patch', `/auth/passkeys/${authenticator.credentials[0]!.id}`).send({ name: 'Work laptop' })
    expect(renamed.body).toMatchObject({ name: 'Work laptop' })
    const bobs = browser(app)
    await bobs.login('bob@example.com', 'bob-password')
    expect((await bobs.raw('patch', `/auth/passkeys/${authenticator.credentials[0]!.id}`).send({ name: 'Mine' })).status).toBe(404)

    const b = browser(app)
    const { res, options } = await signIn(b, authenticator)
    expect(options.allowCredentials ?? []).toEqual([])
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ user: { id: 'u-alice' } })
    expect(cookiesSet(res)).toContain('__Host-sid')
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'mfa', amr: ['hwk', 'user', 'mfa'] } })
    const [listed] = (await owner.get('/auth/passkeys')).body as { lastUsedAt: string | null }[]
    expect(listed).toMatchObject({ name: 'Work laptop', lastUsedAt: expect.any(String) as unknown })
  })

  it('refuses a forged assertion, a wrong origin, a reused challenge and a counter regression (401 …/passkey-invalid)', async () => {
    const { app, authenticator } = await withPasskey()
    const forged = await signIn(browser(app), authenticator, { forge: true })
    expect(forged.res.status).toBe(401)
    expect(problemType(forged.res)).toMatch(/\/passkey-invalid$/)
    expect(cookiesSet(forged.res)).toEqual([])

    expect((await signIn(browser(app), authenticator, { origin: 'https://evil.example' })).res.status).toBe(401)

    // A good assertion works once; the same challenge (even with a new signature) does not again.
    const b = browser(app)
    const good = await signIn(b, authenticator)
    expect(good.res.status).toBe(200)
    const replay = browser(app)
    await replay.fetchCsrf()
    expect((await replay.post('/auth/passkeys/login', good.assertion)).status).toBe(401)
    expect((await replay.post('/auth/passkeys/login', authenticator.authenticate(good.options))).status).toBe(401)

    // A cloned authenticator signs with a counter the server has already seen.
    const cloned = await signIn(browser(app), authenticator, { counter: 1 })
    expect(cloned.res.status).toBe(401)
  })

  it('needs a fresh session to register or delete; DELETE /auth/passkeys/:id → 204, then it signs nobody in', async () => {
    const { app, clock, authenticator, owner } = await withPasskey()
    clock.advance(11 * 60_000)
    expect(problemType(await owner.post('/auth/passkeys/register/options'))).toMatch(/\/reauthenticate$/)
    const id = authenticator.credentials[0]!.id
    expect(problemType(await owner.delete(`/auth/passkeys/${id}`))).toMatch(/\/reauthenticate$/)
    // A password alone now asks for the passkey: signing in with it gives the fresh session.
    expect((await signIn(owner, authenticator)).res.status).toBe(200)
    expect((await owner.delete('/auth/passkeys/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404)
    expect((await owner.delete(`/auth/passkeys/${id}`)).status).toBe(204)
    expect((await owner.get('/auth/passkeys')).body).toEqual([])
    expect((await signIn(browser(app), authenticator)).res.status).toBe(401)
  })

  it('completes a password sign-in as the second factor (methods include passkey; options name only that user’s passkeys)', async () => {
    const { app, authenticator } = await withPasskey()
    const b = browser(app)
    const login = await b.login('alice@example.com', 'alice-password')
    expect(login.body).toEqual({ mfaRequired: true, methods: ['passkey'] })
    const { res, options } = await signIn(b, authenticator)
    expect(options.allowCredentials?.map((credential) => credential.id)).toEqual([authenticator.credentials[0]!.id])
    expect(res.status).toBe(200)
    expect(b.cookie('__Host-mfa')).toBeUndefined()
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'mfa', amr: ['pwd', 'hwk', 'mfa'] } })
  })

  it('a passkey without user verification is one factor: it goes through the gate like a password', async () => {
    const { app, clock, authenticator, owner } = await withPasskey({ userVerified: false })
    await enrollTotp(owner, clock)
    const b = browser(app)
    const { res } = await signIn(b, authenticator)
    expect(res.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] })
    expect(cookiesSet(res)).toEqual(['__Host-mfa'])
    expect((await b.get('/auth/session')).body).toEqual({ user: null })
  })
})
