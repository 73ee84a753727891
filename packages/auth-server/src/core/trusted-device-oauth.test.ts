import { MemorySecondFactorStore } from '@acme/auth-core'
import { createTestClock, createTotpCode } from '@acme/auth-testing'
import { afterAll, describe, expect, it } from 'vitest'
import { browser } from '../../test/fixtures.js'
import { enrolledUser } from '../../test/mfa-helpers.js'
import { signInWithProvider, startOAuthTestBed } from '../../test/oauth-test-bed.js'

describe('a remembered device on another first factor: the OAuth/OIDC callback', () => {
  const clock = createTestClock()
  const started = startOAuthTestBed({ testApp: { clock, secondFactors: { store: new MemorySecondFactorStore(), clock, rememberDevice: {} } } })
  afterAll(async () => (await started).stop())

  it('a browser remembered after a code skips the challenge on the next provider sign-in, with amr fed only', async () => {
    const bed = await started
    const { secret } = await enrolledUser(bed.app, clock)
    const b = browser(bed.app)
    await b.fetchCsrf()
    const first = await signInWithProvider(bed, b, 'demo', { account: 'alice-sub' }, '/notes')
    expect(first.res.headers.location).toBe(`/mfa?returnTo=${encodeURIComponent('/notes')}`)
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock), rememberDevice: true })
    expect(verified.status).toBe(200)
    b.csrf = (verified.body as { csrfToken: string }).csrfToken
    expect((await b.post('/auth/logout')).status).toBe(204)

    // The cookie is SameSite=Lax, so a top-level navigation back from the provider carries it.
    await b.fetchCsrf()
    const again = await signInWithProvider(bed, b, 'demo', { account: 'alice-sub' }, '/notes')
    expect(again.res.status).toBe(302)
    expect(again.res.headers.location).toBe('/notes')
    expect((await b.get('/auth/session')).body).toMatchObject({ user: { id: 'u-alice' }, session: { authLevel: 'oauth:demo', amr: ['fed'] } })
  })
})
