import { createTotpCode } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { browser } from '../../test/fixtures.js'
import { createMfaApp, enrolledUser, enrollTotp } from '../../test/mfa-helpers.js'

const problemType = (res: { body: unknown }) => (res.body as { type?: string }).type

describe('changing factors: a password alone never replaces a factor the user already had', () => {
  it("where the app's shouldChallenge lets a password through, removing TOTP needs a step-up first", async () => {
    const { app, clock } = await createMfaApp({ secondFactors: { shouldChallenge: () => false } })
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    expect((await b.login('alice@example.com', 'alice-password')).body).toMatchObject({ user: { id: 'u-alice' } })
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password' } })
    const refused = await b.delete('/auth/mfa/totp')
    expect(refused.status).toBe(401)
    expect(problemType(refused)).toBe('https://acme.dev/problems/mfa-required')
    expect((await b.get('/auth/mfa')).body).toMatchObject({ totp: true })

    const stepUp = await b.post('/auth/mfa/step-up', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(stepUp.status).toBe(200)
    b.csrf = (stepUp.body as { csrfToken: string }).csrfToken
    expect((await b.delete('/auth/mfa/totp')).status).toBe(204)
    expect((await b.get('/auth/mfa')).body).toMatchObject({ totp: false })
  })

  it('a factor this session enrolled itself needs no second proof: new recovery codes and a passkey right after', async () => {
    const { app, clock } = await createMfaApp()
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    await enrollTotp(b, clock)
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password' } })
    expect((await b.post('/auth/mfa/recovery-codes')).status).toBe(200)
    expect((await b.post('/auth/passkeys/register/options')).status).toBe(200)
    expect((await b.delete('/auth/mfa/totp')).status).toBe(204)
  })
})
