import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { MemorySessionStore } from './memory-session-store.js'
import { createSessionManager, type SessionManager } from './session-manager.js'
import { formatSessionToken, parseSessionToken } from './session-token.js'

const second = 1000
const hour = 3600 * second
// One hour idle, one day absolute, a touch at most every minute: small numbers keep the arithmetic
// readable, and the idle window is far shorter than the absolute one so the two cannot be confused.
const expiry = { idleSeconds: 3600, absoluteSeconds: 24 * 3600, touchIntervalSeconds: 60 }

// Expiry is checked on the store read and again on the cached copy, so every case runs both ways.
describe.each([
  { name: 'without the lookup cache', cache: false as const },
  { name: 'with the lookup cache', cache: { ttlSeconds: 60 } },
])('session expiry over time ($name)', ({ cache }) => {
  const setup = () => {
    const clock = createTestClock()
    const sessions: SessionManager = createSessionManager({ store: new MemorySessionStore(), clock, expiry, cache })
    return { clock, sessions }
  }

  it('ends a session left idle past the timeout after it was used, even though its absolute lifetime remains', async () => {
    const { clock, sessions } = setup()
    const { token } = await sessions.create('u1')
    clock.advance(10 * 60 * second)
    // The first sliding update: its idle expiry must be now + idle, not the absolute expiry.
    const used = await sessions.validate(token)
    expect(used?.resendCookie).toBe(true)
    expect(used?.session.idleExpiresAt).toBe(clock.now() + hour)
    // Left alone (listing the user's devices does not count as use) until the hour is up.
    clock.advance(hour - 1)
    expect(await sessions.listForUser('u1')).toHaveLength(1)
    clock.advance(1)
    expect(await sessions.listForUser('u1')).toEqual([])
    expect(await sessions.validate(token)).toBeNull()
    expect(await sessions.validate(token, { fresh: true })).toBeNull()
    sessions.close()
  })

  it('ends a session never used again exactly at its first idle expiry', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    expect(session.idleExpiresAt).toBe(clock.now() + hour)
    clock.advance(hour)
    expect(await sessions.validate(token)).toBeNull()
    sessions.close()
  })

  it('slides while used within the window and outlives the original idle expiry', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    // Used every 50 minutes for 5 hours: five times past the idle timeout it started with.
    for (let i = 0; i < 6; i++) {
      clock.advance(50 * 60 * second)
      const result = await sessions.validate(token)
      expect(result?.session.id).toBe(session.id)
      expect(result?.session.idleExpiresAt).toBe(clock.now() + hour)
    }
    expect(clock.now()).toBeGreaterThanOrEqual(session.idleExpiresAt + 4 * hour)
    expect((await sessions.listForUser('u1')).map((listed) => listed.id)).toEqual([session.id])
    // And it still times out once the use stops.
    clock.advance(hour)
    expect(await sessions.validate(token)).toBeNull()
    sessions.close()
  })

  it('a validation inside the touch interval does not slide (no write), but the next one does', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    clock.advance(30 * second)
    const early = await sessions.validate(token)
    expect(early).toMatchObject({ resendCookie: false, session: { idleExpiresAt: session.idleExpiresAt } })
    clock.advance(30 * second)
    const touched = await sessions.validate(token)
    expect(touched).toMatchObject({ resendCookie: true, session: { idleExpiresAt: clock.now() + hour } })
    sessions.close()
  })

  it('the absolute lifetime ends a session however active it is', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    expect(session.absoluteExpiresAt).toBe(clock.now() + 24 * hour)
    // Used every 10 minutes right up to the end of its 24 hours.
    while (clock.now() + 10 * 60 * second < session.absoluteExpiresAt) {
      clock.advance(10 * 60 * second)
      const result = await sessions.validate(token)
      expect(result).not.toBeNull()
      // Near the end the idle expiry is capped by the absolute one, never beyond it.
      expect(result!.session.idleExpiresAt).toBe(Math.min(clock.now() + hour, session.absoluteExpiresAt))
    }
    clock.set(session.absoluteExpiresAt - 1)
    expect(await sessions.validate(token)).not.toBeNull()
    clock.advance(1)
    expect(await sessions.validate(token)).toBeNull()
    expect(await sessions.listForUser('u1')).toEqual([])
    sessions.close()
  })

  it('a rotation does not extend the absolute lifetime', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    // Kept in use for 23 hours, so only the absolute lifetime can end it.
    for (let i = 0; i < 23; i++) {
      clock.advance(hour - 60 * second)
      expect(await sessions.validate(token)).not.toBeNull()
    }
    const rotated = await sessions.rotate(token, { authenticated: true })
    expect(rotated?.session.absoluteExpiresAt).toBe(session.absoluteExpiresAt)
    expect(rotated?.session.idleExpiresAt).toBe(Math.min(clock.now() + hour, session.absoluteExpiresAt))
    while (clock.now() + 50 * 60 * second < session.absoluteExpiresAt) {
      clock.advance(50 * 60 * second)
      expect(await sessions.validate(rotated!.token)).not.toBeNull()
    }
    clock.set(session.absoluteExpiresAt - 1)
    expect(await sessions.validate(rotated!.token)).not.toBeNull()
    clock.advance(1)
    expect(await sessions.validate(rotated!.token)).toBeNull()
    sessions.close()
  })

  it('a known session id with a wrong secret gets null, and does not harm the real session', async () => {
    const { clock, sessions } = setup()
    const { token, session } = await sessions.create('u1')
    const { id, secret } = parseSessionToken(token)!
    // A well-formed secret of the right length that differs only in its last character, and one
    // borrowed from another live session: neither may be accepted for this id.
    const last = secret.at(-1) === 'A' ? 'Q' : 'A'
    const forged = [
      formatSessionToken({ id, secret: secret.slice(0, -1) + last }),
      formatSessionToken({ id, secret: parseSessionToken((await sessions.create('u2')).token)!.secret }),
    ]
    for (const attempt of forged) {
      expect(parseSessionToken(attempt)).not.toBeNull() // it reaches the secret check, not the parser
      expect(await sessions.validate(attempt)).toBeNull()
      expect(await sessions.validate(attempt, { fresh: true })).toBeNull()
      expect(await sessions.rotate(attempt)).toBeNull()
    }
    // A wrong secret after the touch interval must not slide the real session either.
    clock.advance(59 * 60 * second)
    expect(await sessions.validate(forged[0]!)).toBeNull()
    clock.advance(60 * second)
    expect(await sessions.validate(token)).toBeNull()
    expect(session.idleExpiresAt).toBe(clock.now())
    sessions.close()
  })
})
