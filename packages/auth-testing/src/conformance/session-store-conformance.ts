import { createSessionManager, type SessionManagerOptions, type SessionStore } from '@acme/auth-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestClock, type TestClock } from '../test-clock.js'

/** What the conformance suite needs from a store under test. */
export interface SessionStoreHarness {
  store: SessionStore
  /** Everything the store persisted, as text (Redis: every key and value under its prefix). */
  dump(): Promise<string>
  /** Releases connections and data after the suite. */
  close?(): Promise<void>
}

const minute = 60_000
const expiry = { idleSeconds: 3600, absoluteSeconds: 24 * 3600, touchIntervalSeconds: 60 }
let userCounter = 0
const newUser = () => `conformance-user-${process.pid}-${Date.now()}-${++userCounter}`

/**
 * The session store contract, as vitest tests. One call per store implementation:
 *
 * @example
 * ```ts
 * import { MemorySessionStore } from '@acme/auth-core'
 * import { runSessionStoreConformance } from '@acme/auth-testing'
 *
 * runSessionStoreConformance('MemorySessionStore', () => {
 *   const store = new MemorySessionStore()
 *   return { store, dump: async () => JSON.stringify([...Array(0)]) }
 * })
 * ```
 */
export function runSessionStoreConformance(name: string, setup: () => SessionStoreHarness | Promise<SessionStoreHarness>): void {
  describe(`${name}: session store conformance`, () => {
    let harness: SessionStoreHarness
    let writes = 0
    let counted: SessionStore

    beforeAll(async () => {
      harness = await setup()
      // Counts writes through a wrapper, to check that sliding is throttled.
      const store = harness.store
      counted = {
        create: (record, now) => store.create(record, now),
        get: (id, now) => store.get(id, now),
        update: (...args) => {
          writes++
          return store.update(...args)
        },
        delete: (id, userId) => store.delete(id, userId),
        deleteAllForUser: (userId, exceptId) => store.deleteAllForUser(userId, exceptId),
        listForUser: (userId, now) => store.listForUser(userId, now),
        ...(store.createId ? { createId: (userId: string) => store.createId!(userId) } : {}),
      }
    })
    afterAll(async () => {
      await harness.close?.()
    })

    const manager = (clock: TestClock, extra: Partial<SessionManagerOptions> = {}) =>
      createSessionManager({ store: counted, clock, expiry, ...extra })

    it('creates a session and validates its token; a wrong secret, unknown id or garbage is null', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const userId = newUser()
      const { token, session } = await sessions.create(userId, { userAgent: 'UA/1', ip: '203.0.113.9', data: { theme: 'dark' } })
      expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{43}$/)
      const result = await sessions.validate(token)
      expect(result?.session).toMatchObject({ id: session.id, userId, userAgent: 'UA/1', ip: '203.0.113.9', data: { theme: 'dark' } })
      expect(result?.session).not.toHaveProperty('secretHash')
      const [id, secret] = token.split('.') as [string, string]
      const flipped = secret.slice(0, -2) + (secret.at(-2) === 'A' ? 'B' : 'A') + secret.at(-1)!
      expect(await sessions.validate(`${id}.${flipped}`)).toBeNull()
      expect(await sessions.validate(`${'x'.repeat(id.length)}.${secret}`)).toBeNull()
      for (const garbage of ['', 'nodot', `${id}.`, `.${secret}`, `${id}.${secret}x`, 42, null, `${id}.${secret}.${secret}`]) {
        expect(await sessions.validate(garbage)).toBeNull()
      }
    })

    it('slides the idle expiry but writes at most once per touch interval', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const { token, session } = await sessions.create(newUser())
      writes = 0
      for (let i = 0; i < 20; i++) {
        clock.advance(2_000) // 40 s of busy use
        expect((await sessions.validate(token))?.resendCookie).toBe(false)
      }
      expect(writes).toBe(0)
      clock.advance(21_000)
      const touched = await sessions.validate(token)
      expect(touched?.resendCookie).toBe(true)
      expect(writes).toBe(1)
      expect(touched!.session.idleExpiresAt).toBe(clock.now() + 3600_000)
      expect(touched!.session.idleExpiresAt).toBeGreaterThan(session.idleExpiresAt)
      expect((await sessions.validate(token))?.resendCookie).toBe(false)
      expect(writes).toBe(1)
    })

    it('rejects a session that sat idle past its idle timeout', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const { token } = await sessions.create(newUser())
      clock.advance(59 * minute)
      expect(await sessions.validate(token)).not.toBeNull()
      clock.advance(60 * minute) // slid at 59 min, so idle until 119 min
      expect(await sessions.validate(token)).toBeNull()
    })

    it('rejects a session past its absolute lifetime however active it is', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const { token, session } = await sessions.create(newUser())
      while (clock.now() + 30 * minute < session.absoluteExpiresAt) {
        clock.advance(30 * minute)
        const result = await sessions.validate(token)
        expect(result).not.toBeNull()
        expect(result!.session.idleExpiresAt).toBeLessThanOrEqual(session.absoluteExpiresAt)
      }
      clock.set(session.absoluteExpiresAt)
      expect(await sessions.validate(token)).toBeNull()
    })

    it('rotates: the new token works and the old one dies at once', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const { token, session } = await sessions.create(newUser())
      clock.advance(5 * minute)
      const rotated = await sessions.rotate(token, { authLevel: 'mfa', authenticated: true })
      expect(rotated).not.toBeNull()
      expect(rotated!.token).not.toBe(token)
      expect(rotated!.session.id).toBe(session.id)
      expect(await sessions.validate(token)).toBeNull()
      const current = await sessions.validate(rotated!.token)
      expect(current?.session).toMatchObject({ authLevel: 'mfa', authenticatedAt: clock.now() })
      expect(await sessions.rotate(token)).toBeNull()
    })

    it('two concurrent rotations of one token: exactly one wins', async () => {
      const sessions = manager(createTestClock())
      const { token } = await sessions.create(newUser())
      const results = await Promise.all([sessions.rotate(token), sessions.rotate(token), sessions.rotate(token)])
      const winners = results.filter((result) => result !== null)
      expect(winners).toHaveLength(1)
      expect(await sessions.validate(winners[0]!.token)).not.toBeNull()
    })

    it('revokes one session, and only for its owner when an owner is given', async () => {
      const sessions = manager(createTestClock())
      const userId = newUser()
      const { token, session } = await sessions.create(userId)
      expect(await sessions.revoke(session.id, { userId: newUser() })).toBe(false)
      expect(await sessions.validate(token)).not.toBeNull()
      expect(await sessions.revoke(session.id, { userId })).toBe(true)
      expect(await sessions.validate(token)).toBeNull()
      expect(await sessions.revoke(session.id)).toBe(false)
    })

    it('revokes every session of a user except the one named, and no one else’s', async () => {
      const sessions = manager(createTestClock())
      const userId = newUser()
      const issued = await Promise.all([1, 2, 3].map(() => sessions.create(userId)))
      const bystander = await sessions.create(newUser())
      const kept = issued[1]!
      expect(await sessions.revokeAllForUser(userId, { except: kept.session.id })).toBe(2)
      expect(await sessions.validate(issued[0]!.token)).toBeNull()
      expect(await sessions.validate(issued[2]!.token)).toBeNull()
      expect(await sessions.validate(kept.token)).not.toBeNull()
      expect(await sessions.validate(bystander.token)).not.toBeNull()
      expect(await sessions.revokeAllForUser(userId)).toBe(1)
      expect(await sessions.validate(kept.token)).toBeNull()
    })

    it('lists a user’s live sessions, most recently used first, without secrets', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const userId = newUser()
      const first = await sessions.create(userId, { userAgent: 'first' })
      clock.advance(2 * minute)
      const second = await sessions.create(userId, { userAgent: 'second' })
      clock.advance(2 * minute)
      await sessions.validate(first.token) // first is now the most recent
      const expired = await sessions.create(userId)
      await sessions.revoke(expired.session.id)
      await sessions.create(newUser())
      const list = await sessions.listForUser(userId)
      expect(list.map((session) => session.id)).toEqual([first.session.id, second.session.id])
      for (const session of list) expect(session).not.toHaveProperty('secretHash')
      clock.advance(59 * minute) // second, idle since minute 2, is past 60 min; first, used at minute 4, is not
      expect((await sessions.listForUser(userId)).map((session) => session.id)).toEqual([first.session.id])
    })

    it('concurrent validate and revoke: no error, and the session is dead once revoke returns', async () => {
      const clock = createTestClock()
      const sessions = manager(clock)
      const { token, session } = await sessions.create(newUser())
      clock.advance(2 * minute) // every validate below wants to slide, racing the delete
      const racing = Array.from({ length: 25 }, () => sessions.validate(token))
      const revoked = sessions.revoke(session.id)
      const more = Array.from({ length: 25 }, () => sessions.validate(token))
      await expect(Promise.all([...racing, revoked, ...more])).resolves.toBeDefined()
      expect(await revoked).toBe(true)
      expect(await sessions.validate(token)).toBeNull()
      expect(await sessions.validate(token, { fresh: true })).toBeNull()
    })

    it('stores no plaintext secret: only its SHA-256', async () => {
      const sessions = manager(createTestClock())
      const userId = newUser()
      const tokens = await Promise.all([1, 2, 3].map(() => sessions.create(userId)))
      const rotated = await sessions.rotate(tokens[0]!.token)
      const dump = await harness.dump()
      // The dump must really contain the store's data, or the check below would prove nothing.
      expect(dump).toContain(tokens[1]!.session.id)
      for (const token of [...tokens.map((issued) => issued.token), rotated!.token]) {
        const secret = token.split('.')[1]!
        expect(dump).not.toContain(secret)
        expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'))
      }
    })
  })
}
