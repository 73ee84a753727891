import { createRecordingAuditSink, createTestClock, trackSecrets } from '@acme/auth-testing'
import { describe, expect, it, vi } from 'vitest'
import type { AuditEvent } from '../audit/audit-event.js'
import { isAuthError } from '../errors.js'
import { MemorySessionStore } from './memory-session-store.js'
import { createSessionManager } from './session-manager.js'
import { sessionRoles } from './session.js'
import type { SessionStore } from './session-store.js'

const day = 24 * 60 * 60 * 1000

describe('createSessionManager', () => {
  it('defaults to 7 days idle and 30 days absolute', async () => {
    const clock = createTestClock()
    const { session } = await createSessionManager({ store: new MemorySessionStore(), clock }).create('u1')
    expect(session.idleExpiresAt - clock.now()).toBe(7 * day)
    expect(session.absoluteExpiresAt - clock.now()).toBe(30 * day)
    expect(session.authLevel).toBe('password')
  })

  it('throws TypeErrors that name the option', () => {
    const store = new MemorySessionStore()
    expect(() => createSessionManager({ store: {} as SessionStore })).toThrow(/options\.store\.create/)
    expect(() => createSessionManager({ store, expiry: { idleSeconds: -1 } })).toThrow(/options\.expiry\.idleSeconds/)
    expect(() => createSessionManager({ store, expiry: { absoluteSeconds: 3600, idleSeconds: 7200 } })).toThrow(/idleSeconds/)
    expect(() => createSessionManager({ store, cache: { ttlSeconds: 61 } })).toThrow(/options\.cache\.ttlSeconds/)
    const { onInvalidate: _ignored, ...noBroadcast } = {
      create: store.create.bind(store), get: store.get.bind(store), update: store.update.bind(store),
      delete: store.delete.bind(store), deleteAllForUser: store.deleteAllForUser.bind(store),
      listForUser: store.listForUser.bind(store), onInvalidate: undefined,
    }
    expect(() => createSessionManager({ store: noBroadcast, cache: {} })).toThrow(/onInvalidate/)
  })

  it('refuses an empty user id and an oversized data bag', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    await expect(sessions.create('')).rejects.toThrow(TypeError)
    await expect(sessions.create('u1', { data: { blob: 'x'.repeat(5000) } })).rejects.toThrow(/4096/)
  })

  it('fails closed with ERR_STORE_UNAVAILABLE when the store throws, never returning a session', async () => {
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store })
    const { token } = await sessions.create('u1')
    store.get = () => Promise.reject(new Error('connection reset'))
    const error: unknown = await sessions.validate(token).catch((caught: unknown) => caught)
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true)
  })

  it('emits audit events with ids only, never a token or its secret', async () => {
    const sink = createRecordingAuditSink()
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock, audit: sink })
    const { token, session } = await sessions.create('u1', {}, { requestId: 'req-1', ip: '198.51.100.7' })
    const rotated = await sessions.rotate(token)
    trackSecrets(token, rotated!.token)
    const events: readonly AuditEvent[] = sink.events
    await sessions.revoke(session.id)
    await sessions.revokeAllForUser('u1')
    expect(events.map((event) => event.type)).toEqual(['SESSION_CREATED', 'SESSION_ROTATED', 'SESSION_REVOKED', 'SESSIONS_REVOKED_ALL'])
    expect(events[0]).toMatchObject({ userId: 'u1', sessionId: session.id, requestId: 'req-1', ip: '198.51.100.7', at: new Date(clock.now()).toISOString() })
    const text = JSON.stringify(events)
    for (const secret of [token.split('.')[1]!, rotated!.token.split('.')[1]!]) expect(text).not.toContain(secret)
  })

  it('an audit sink that throws does not break sign-in', async () => {
    const sessions = createSessionManager({
      store: new MemorySessionStore(),
      audit: { emit: () => { throw new Error('disk full') } },
    })
    await expect(sessions.create('u1')).resolves.toHaveProperty('token')
  })

  describe('with the lookup cache', () => {
    it('serves repeat lookups from memory and drops a revoked session on every manager at once', async () => {
      const { store, reads } = countingStore()
      const first = createSessionManager({ store, cache: { ttlSeconds: 30 } })
      const second = createSessionManager({ store, cache: { ttlSeconds: 30 } })
      const { token, session } = await first.create('u1')
      await second.validate(token)
      await second.validate(token)
      await second.validate(token)
      expect(reads()).toBe(1)
      await first.revoke(session.id)
      expect(await second.validate(token)).toBeNull()
      first.close()
      second.close()
    })

    it('an invalidation that arrives during the touch write keeps the touched record out of the cache', async () => {
      const clock = createTestClock()
      const { store, reads } = countingStore()
      // The write applies at once, but its reply is slow: the revocation's notice overtakes it.
      let answer: (() => void) | undefined
      const update = store.update.bind(store)
      store.update = async (...args) => {
        const applied = await update(...args)
        await new Promise<void>((resolve) => (answer = resolve))
        return applied
      }
      const sessions = createSessionManager({ store, clock, cache: { ttlSeconds: 30 } })
      const other = createSessionManager({ store, clock })
      const { token, session } = await sessions.create('u1')
      await sessions.validate(token)
      clock.advance(61_000) // past the touch interval: the next validate writes
      const touching = sessions.validate(token)
      await vi.waitFor(() => expect(answer).toBeDefined())
      await other.revoke(session.id)
      answer!()
      expect(await touching).not.toBeNull() // it was valid when this request began
      const before = reads()
      expect(await sessions.validate(token)).toBeNull()
      expect(reads()).toBe(before + 1) // read from the store, not from a cache the touch refilled
      sessions.close()
    })

    it('a fresh read bypasses the cache', async () => {
      const { store, reads } = countingStore()
      const sessions = createSessionManager({ store, cache: {} })
      const { token } = await sessions.create('u1')
      await sessions.validate(token)
      await sessions.validate(token, { fresh: true })
      expect(reads()).toBe(2)
    })

    it('expires cached entries after the TTL', async () => {
      const clock = createTestClock()
      const { store, reads } = countingStore()
      const sessions = createSessionManager({ store, clock, cache: { ttlSeconds: 10 } })
      const { token } = await sessions.create('u1')
      await sessions.validate(token)
      clock.advance(9_000)
      await sessions.validate(token)
      expect(reads()).toBe(1)
      clock.advance(1_000)
      await sessions.validate(token)
      expect(reads()).toBe(2)
    })
  })
  it('touch slides a session known by id (throttled, compare-and-set, within the absolute lifetime) and is null once it ended', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock, expiry: { idleSeconds: 3600, absoluteSeconds: 2 * 3600 } })
    const { session } = await sessions.create('u1')
    clock.advance(30_000)
    expect(await sessions.touch(session.id)).toMatchObject({ lastSeenAt: session.createdAt }) // inside the touch interval
    clock.advance(30 * 60_000)
    expect(await sessions.touch(session.id)).toMatchObject({ lastSeenAt: clock.now(), idleExpiresAt: clock.now() + 3600_000 })
    expect((await sessions.listForUser('u1'))[0]).toMatchObject({ lastSeenAt: clock.now() })
    clock.advance(50 * 60_000)
    expect((await sessions.touch(session.id))?.idleExpiresAt).toBe(session.absoluteExpiresAt)
    expect(await sessions.touch('no-such-session')).toBeNull()
    await sessions.revoke(session.id)
    expect(await sessions.touch(session.id)).toBeNull()
  })

  it('captures roles at creation and updateRoles rewrites them on every live session of the user, cached copies included', async () => {
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store, cache: {} })
    const laptop = await sessions.create('u1', { roles: ['admin'], data: { theme: 'dark' } })
    const phone = await sessions.create('u1', { roles: ['admin'] })
    const bystander = await sessions.create('u2', { roles: ['admin'] })
    expect(sessionRoles((await sessions.validate(laptop.token))!.session)).toEqual(['admin'])
    expect(await sessions.updateRoles('u1', ['member'])).toBe(2)
    const after = (await sessions.validate(laptop.token))!.session
    expect(sessionRoles(after)).toEqual(['member'])
    expect(after.data.theme).toBe('dark')
    expect(sessionRoles((await sessions.validate(phone.token))!.session)).toEqual(['member'])
    expect(sessionRoles((await sessions.validate(bystander.token))!.session)).toEqual(['admin'])
    await expect(sessions.updateRoles('u1', [''])).rejects.toThrow(TypeError)
  })
})

describe('MemorySessionStore', () => {
  it('sweeps expired sessions so memory stays bounded', async () => {
    const clock = createTestClock()
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store, clock, expiry: { idleSeconds: 3600, absoluteSeconds: 7200 } })
    for (let i = 0; i < 100; i++) await sessions.create(`u${i}`)
    expect(store.size).toBe(100)
    clock.advance(3 * 3600_000)
    await sessions.create('late')
    expect(store.size).toBe(1)
  })

  it('hands out frozen records, so no caller can change another caller’s view', async () => {
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store })
    const { token } = await sessions.create('u1', { data: { plan: 'free' } })
    const result = await sessions.validate(token)
    expect(() => {
      ;(result!.session.data as Record<string, unknown>).plan = 'pro'
    }).toThrow(TypeError)
  })
})

/** A memory store that counts its reads, to tell cache hits from store reads. */
function countingStore() {
  const store = new MemorySessionStore()
  let reads = 0
  const get = store.get.bind(store)
  store.get = (...args) => {
    reads++
    return get(...args)
  }
  return { store, reads: () => reads }
}
