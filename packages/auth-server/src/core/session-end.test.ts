import type { SessionEnd } from '@acme/auth-core'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'

describe('auth.onSessionEnd', () => {
  it.each(['session', 'token'] as const)('hears the %s strategy’s sign-out and sign-out everywhere', async (strategy) => {
    const { app, auth } = await createTestApp({ strategy })
    const seen: SessionEnd[] = []
    auth.onSessionEnd((ended) => {
      seen.push(ended)
    })
    const phone = browser(app)
    const laptop = browser(app)
    await phone.login('alice@example.com', 'alice-password')
    await laptop.login('alice@example.com', 'alice-password')
    const phoneId = ((await phone.get('/api/me')).body as { session: { id: string } }).session.id
    expect((await phone.post('/auth/logout')).status).toBe(204)
    expect(seen).toEqual([{ sessionId: phoneId, userId: 'u-alice', reason: 'revoked' }])
    const laptopId = ((await laptop.get('/api/me')).body as { session: { id: string } }).session.id
    expect((await laptop.post('/auth/logout-all')).status).toBe(204)
    expect(seen.at(-1)).toEqual({ sessionId: laptopId, userId: 'u-alice', reason: 'revoked-all' })
  })

  it('refuses a session manager without onEnd() with a TypeError', async () => {
    const { sessions } = await createTestApp()
    const { auth } = await createTestApp({ sessions: { ...sessions, onEnd: undefined } as never })
    expect(() => auth.onSessionEnd(() => {})).toThrow(/onEnd/)
  })
})
