import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { browser, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

/** A browser signed in through the provider, ready to send unsafe requests; and its session id. */
async function providerSession(bed: OAuthTestBed, account = 'carol-sub') {
  const b = browser(bed.app)
  const { res } = await signInWithProvider(bed, b, 'demo', { account })
  expect(res.status).toBe(302)
  const session = (await b.get('/auth/session')).body as { session: { id: string }; csrfToken: string }
  b.csrf = session.csrfToken
  return { b, sessionId: session.session.id }
}

describe('provider tokens end with the session, however it ends', () => {
  let bed: OAuthTestBed
  const stored = (sessionId: string) => bed.tokenStore.get(sessionId, Date.now())
  beforeAll(async () => {
    bed = await startOAuthTestBed()
  })
  afterAll(() => bed.stop())
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('plain POST /auth/logout forgets them', async () => {
    const { b, sessionId } = await providerSession(bed)
    expect(await stored(sessionId)).not.toBeNull()
    expect((await b.post('/auth/logout')).status).toBe(204)
    expect(await stored(sessionId)).toBeNull()
  })

  it("the app's own sessions.revoke() (an admin page) forgets them", async () => {
    const { sessionId } = await providerSession(bed)
    expect(await stored(sessionId)).not.toBeNull()
    expect(await bed.testApp.sessions.revoke(sessionId)).toBe(true)
    expect(await stored(sessionId)).toBeNull()
  })

  it('DELETE /auth/sessions/:id from another device forgets them', async () => {
    const phone = await providerSession(bed)
    const laptop = await providerSession(bed)
    expect((await laptop.b.delete(`/auth/sessions/${phone.sessionId}`)).status).toBe(204)
    expect(await stored(phone.sessionId)).toBeNull()
    expect(await stored(laptop.sessionId)).not.toBeNull()
  })

  it('POST /auth/logout-all forgets those of every session of the user, and only that user', async () => {
    const first = await providerSession(bed, 'carol-sub')
    const second = await providerSession(bed, 'carol-sub')
    const other = await providerSession(bed, 'alice-sub')
    expect((await first.b.post('/auth/logout-all')).status).toBe(204)
    expect(await stored(first.sessionId)).toBeNull()
    expect(await stored(second.sessionId)).toBeNull()
    expect(await stored(other.sessionId)).not.toBeNull()
  })

  it('a session ended because its account is gone forgets them', async () => {
    const bed2 = await startOAuthTestBed()
    try {
      const b = browser(bed2.app)
      await signInWithProvider(bed2, b, 'demo', { account: 'carol-sub' })
      const sessionId = ((await b.get('/auth/session')).body as { session: { id: string } }).session.id
      expect(await bed2.tokenStore.get(sessionId, Date.now())).not.toBeNull()
      bed2.testApp.users.delete('carol-sub@users.invalid')
      expect((await b.get('/auth/session')).body).toEqual({ user: null })
      expect(await bed2.tokenStore.get(sessionId, Date.now())).toBeNull()
    } finally {
      await bed2.stop()
    }
  })

  it('a failing session-end listener of the app neither breaks the sign-out nor stops OAuth from forgetting, and its message is not logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const unsubscribe = [
      bed.testApp.auth.onSessionEnd(() => {
        throw new Error('secret-in-message')
      }),
      bed.testApp.auth.onSessionEnd(() => Promise.reject(new RangeError('secret-in-message'))),
    ]
    try {
      const { b, sessionId } = await providerSession(bed)
      expect((await b.post('/auth/logout')).status).toBe(204)
      expect(await stored(sessionId)).toBeNull()
      expect((await b.get('/auth/session')).body).toEqual({ user: null })
      const lines = warn.mock.calls.map((call) => call.join(' '))
      expect(lines).toEqual([
        '[acme-auth] a session-end listener failed (revoked): Error',
        '[acme-auth] a session-end listener failed (revoked): RangeError',
      ])
    } finally {
      for (const stop of unsubscribe) stop()
    }
  })
})
