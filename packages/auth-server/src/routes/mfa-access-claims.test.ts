// `amr` and `acr` in the access tokens of a session (RFC 8176, RFC 9068 §2.2.1), for both ways a
// token strategy hands them out: the `__Host-access` cookie and a native sign-in's body.
import { createTotpCode } from '@acme/auth-testing'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { browser, origin } from '../../test/fixtures.js'
import { createMfaApp, enrolledUser } from '../../test/mfa-helpers.js'

describe('amr and acr in access tokens', () => {
  it('a password alone: the access JWT carries amr [pwd] and acr password, and the verifier exposes both', async () => {
    const { app, tokens } = await createMfaApp({ strategy: 'token' })
    const b = browser(app)
    expect((await b.login('bob@example.com', 'bob-password')).status).toBe(200)
    const claims = await tokens!.verifier.verify(b.cookie('__Host-access')!)
    expect(claims).toMatchObject({ sub: 'u-bob', acr: 'password', amr: ['pwd'] })
    // The middleware's identity (what `req.auth` shows an app) has them too.
    expect((await b.get('/api/me')).body).toMatchObject({ session: { authLevel: 'password', amr: ['pwd'] } })
  })

  it('a password then a TOTP code: amr [pwd, otp, mfa] and acr mfa, kept across a refresh', async () => {
    const { app, clock, tokens } = await createMfaApp({ strategy: 'token' })
    const { secret } = await enrolledUser(app, clock)
    const b = browser(app)
    await b.login('alice@example.com', 'alice-password')
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(verified.status).toBe(200)
    b.csrf = (verified.body as { csrfToken: string }).csrfToken
    const claims = await tokens!.verifier.verify(b.cookie('__Host-access')!)
    expect(claims).toMatchObject({ sub: 'u-alice', acr: 'mfa', amr: ['pwd', 'otp', 'mfa'] })
    expect((await b.post('/auth/refresh')).status).toBe(204)
    const refreshed = await tokens!.verifier.verify(b.cookie('__Host-access')!)
    expect(refreshed.jti).not.toBe(claims.jti)
    expect(refreshed).toMatchObject({ acr: 'mfa', amr: ['pwd', 'otp', 'mfa'] })
  })

  it('a native sign-in: the body access token carries amr [pwd] and acr password', async () => {
    const { app, tokens } = await createMfaApp({ strategy: 'token', nativeClients: true })
    const res = await request(app).post('/auth/login').send({ email: 'bob@example.com', password: 'bob-password', client: 'native' })
    expect(res.status).toBe(200)
    const claims = await tokens!.verifier.verify((res.body as { access_token: string }).access_token)
    expect(claims).toMatchObject({ sub: 'u-bob', acr: 'password', amr: ['pwd'], aud: origin })
  })
})
