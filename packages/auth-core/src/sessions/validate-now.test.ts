import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../errors.js'
import { createAuthMetrics } from '../metrics/auth-metrics.js'
import { MemorySessionStore } from './memory-session-store.js'
import { readNow } from './read-now.js'
import { createSessionManager, type SessionManager } from './session-manager.js'
import { validateNow } from './validate-now.js'

const minute = 60_000

describe('validateNow (the per-request path)', () => {
  it('answers a live in-memory session at once, and with a promise only when the idle expiry must slide', async () => {
    const clock = createTestClock()
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store, clock })
    const { token } = await sessions.create('u1')
    const now = validateNow(sessions, token)
    expect(now).not.toBeInstanceOf(Promise)
    expect(now).toMatchObject({ session: { userId: 'u1' }, resendCookie: false })
    expect(Object.keys((now as { session: object }).session)).not.toContain('secretHash')

    clock.advance(minute)
    const sliding = validateNow(sessions, token)
    expect(sliding).toBeInstanceOf(Promise)
    expect(await sliding).toMatchObject({ resendCookie: true, session: { lastSeenAt: clock.now() } })
    const [stored] = store.snapshot()
    expect(stored!.lastSeenAt).toBe(clock.now()) // the write happened
    expect(validateNow(sessions, 'not-a-token')).toBeNull()
  })

  it('a cache hit answers at once without a store read, and a revocation is still seen at once', async () => {
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store, cache: {} })
    const { token, session } = await sessions.create('u1')
    // A spied `get` must see every read: the store stops answering synchronously.
    const reads = vi.spyOn(store, 'get')
    const first = validateNow(sessions, token)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).not.toBeNull()
    expect(reads).toHaveBeenCalledTimes(1)
    const hit = validateNow(sessions, token)
    expect(hit).not.toBeInstanceOf(Promise)
    expect(hit).toMatchObject({ session: { id: session.id } })
    expect(reads).toHaveBeenCalledTimes(1)

    await sessions.revoke(session.id)
    expect(await validateNow(sessions, token)).toBeNull()
    expect(await sessions.validate(token)).toBeNull()
  })

  it('fails closed: a store that throws synchronously gives ERR_STORE_UNAVAILABLE and an error metric', async () => {
    const storeOperation = vi.fn()
    const metrics = { ...createAuthMetrics(), storeOperation }
    const store = new MemorySessionStore()
    const sessions = createSessionManager({ store, metrics })
    const { token } = await sessions.create('u1')
    Object.defineProperty(store, readNow, {
      value: () => {
        throw new Error('corrupted')
      },
    })
    let thrown: unknown
    try {
      void validateNow(sessions, token)
    } catch (error) {
      thrown = error
    }
    expect(isAuthError(thrown, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    const rejected: unknown = await sessions.validate(token).catch((error: unknown) => error)
    expect(isAuthError(rejected, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(storeOperation).toHaveBeenLastCalledWith('session', 'error', expect.any(Number))
  })

  it('asks validate() of a manager it did not make, or whose validate was replaced', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const { token } = await sessions.create('u1')
    const validate = vi.fn(() => Promise.resolve(null))
    const wrapped: SessionManager = { ...sessions, validate }
    expect(await validateNow(wrapped, token)).toBeNull()
    expect(validate).toHaveBeenCalledWith(token)
  })
})
