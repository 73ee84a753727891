import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { MemorySessionStore } from './memory-session-store.js'
import type { SessionEnd } from './session-end.js'
import { createSessionManager } from './session-manager.js'

describe('sessions.onEnd', () => {
  it('fires after revoke(), with the user when the caller named it, and not for an unknown id', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const seen: SessionEnd[] = []
    sessions.onEnd((ended) => {
      seen.push(ended)
    })
    const first = await sessions.create('u1')
    const second = await sessions.create('u1')
    expect(await sessions.revoke(first.session.id, { userId: 'u1' })).toBe(true)
    expect(await sessions.revoke(second.session.id)).toBe(true)
    expect(await sessions.revoke(second.session.id)).toBe(false)
    expect(await sessions.revoke(first.session.id, { userId: 'someone-else' })).toBe(false)
    expect(seen).toEqual([
      { sessionId: first.session.id, userId: 'u1', reason: 'revoked' },
      { sessionId: second.session.id, reason: 'revoked' },
    ])
  })

  it('fires once per ended id after revokeAllForUser(), sparing the kept session', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const seen: SessionEnd[] = []
    sessions.onEnd((ended) => {
      seen.push(ended)
    })
    const kept = await sessions.create('u1')
    const a = await sessions.create('u1')
    const b = await sessions.create('u1')
    await sessions.create('u2')
    expect(await sessions.revokeAllForUser('u1', { except: kept.session.id })).toBe(2)
    expect(seen.map((ended) => ended.sessionId).sort()).toEqual([a.session.id, b.session.id].sort())
    expect(seen.every((ended) => ended.userId === 'u1' && ended.reason === 'revoked-all')).toBe(true)
  })

  it('fires with reason expired when validate() meets an expired cached copy', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({
      store: new MemorySessionStore(),
      clock,
      cache: { ttlSeconds: 60 },
      expiry: { absoluteSeconds: 60, idleSeconds: 60, touchIntervalSeconds: 30 },
    })
    const seen: SessionEnd[] = []
    sessions.onEnd((ended) => {
      seen.push(ended)
    })
    const { token, session } = await sessions.create('u1')
    clock.advance(1000)
    expect(await sessions.validate(token)).not.toBeNull() // now cached
    clock.advance(59_000)
    expect(await sessions.validate(token)).toBeNull()
    expect(await sessions.validate(token)).toBeNull() // the store has nothing left to report
    expect(seen).toEqual([{ sessionId: session.id, userId: 'u1', reason: 'expired' }])
  })

  it('waits for async listeners, and a listener that throws or rejects breaks neither the revocation nor the others', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const done: string[] = []
    sessions.onEnd(() => {
      throw new Error('listener bug')
    })
    sessions.onEnd(() => Promise.reject(new Error('listener outage')))
    sessions.onEnd(async ({ sessionId }) => {
      await new Promise((resolve) => setImmediate(resolve))
      done.push(sessionId)
    })
    const { token, session } = await sessions.create('u1')
    await expect(sessions.revoke(session.id)).resolves.toBe(true)
    expect(done).toEqual([session.id])
    expect(await sessions.validate(token)).toBeNull()
    const other = await sessions.create('u1')
    await expect(sessions.revokeAllForUser('u1')).resolves.toBe(1)
    expect(done).toEqual([session.id, other.session.id])
  })

  it('stops calling a listener once unsubscribed, and refuses a non-function', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    let calls = 0
    const listener = () => {
      calls++
    }
    const unsubscribe = sessions.onEnd(listener)
    const second = sessions.onEnd(listener)
    await sessions.revoke((await sessions.create('u1')).session.id)
    expect(calls).toBe(2)
    unsubscribe()
    await sessions.revoke((await sessions.create('u1')).session.id)
    expect(calls).toBe(3)
    second()
    await sessions.revoke((await sessions.create('u1')).session.id)
    expect(calls).toBe(3)
    expect(() => sessions.onEnd('nope' as never)).toThrow(TypeError)
  })
})
