import { describe, expect, it } from 'vitest'
import { browser } from '../../test/fixtures.js'
import { createMfaApp, enrolledUser } from '../../test/mfa-helpers.js'

describe('GET /auth/mfa/pending: a page learns of a pending sign-in it did not start', () => {
  it('answers the methods while __Host-mfa holds a live pending sign-in, and names no user', async () => {
    const { app, clock } = await createMfaApp()
    await enrolledUser(app, clock)
    const b = browser(app)
    expect((await b.get('/auth/mfa/pending')).body).toEqual({ mfaRequired: false, methods: [] })

    await b.login('alice@example.com', 'alice-password')
    const pending = await b.get('/auth/mfa/pending')
    expect(pending.status).toBe(200)
    expect(Object.keys(pending.body as object).sort()).toEqual(['expiresAt', 'methods', 'mfaRequired'])
    expect(pending.body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery'] })
    const expiresAt = Date.parse((pending.body as { expiresAt: string }).expiresAt)
    expect(expiresAt - clock.now()).toBeGreaterThan(0)
    expect(expiresAt - clock.now()).toBeLessThanOrEqual(5 * 60_000)
    expect(JSON.stringify(pending.body)).not.toMatch(/alice|u-alice/)

    // Reading it spends nothing, and the pending sign-in lapses with the clock.
    expect((await b.get('/auth/mfa/pending')).body).toMatchObject({ mfaRequired: true })
    clock.advance(5 * 60_000 + 1_000)
    expect((await b.get('/auth/mfa/pending')).body).toEqual({ mfaRequired: false, methods: [] })
  })

  it('a forged cookie is not pending', async () => {
    const { app, clock } = await createMfaApp()
    await enrolledUser(app, clock)
    const b = browser(app)
    const forged = await b.get('/auth/mfa/pending', { cookie: `__Host-mfa=${'A'.repeat(43)}` })
    expect(forged.body).toEqual({ mfaRequired: false, methods: [] })
  })
})
