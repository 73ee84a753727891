import { createRecordingAuditSink, createTestClock, deleteRedisPrefix, trackSecrets } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { RedisSecondFactorStore } from '../redis/redis-second-factor-store.js'
import { createFactorLimiter } from './factor-limiter.js'
import { MemorySecondFactorStore } from './memory-second-factor-store.js'
import { createRecoveryCodes, RECOVERY_CODE_COUNT } from './recovery-codes.js'

function setup() {
  const clock = createTestClock()
  const store = new MemorySecondFactorStore()
  const audit = createRecordingAuditSink()
  const recoveryCodes = createRecoveryCodes({ store, clock, audit, limiter: createFactorLimiter({ clock, maxAttempts: 50 }) })
  return { clock, store, audit, recoveryCodes }
}

describe('createRecoveryCodes', () => {
  it('generates 10 distinct codes of 80 bits, shown once: only their hashes are stored', async () => {
    const { store, recoveryCodes } = setup()
    const codes = await recoveryCodes.generate('user-1')
    trackSecrets(...codes)
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT)
    expect(new Set(codes).size).toBe(10)
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/)
    expect(await recoveryCodes.remaining('user-1')).toBe(10)
    const stored = JSON.stringify(store.snapshot())
    for (const code of codes) {
      expect(stored).not.toContain(code)
      expect(stored).not.toContain(code.replaceAll('-', ''))
    }
  })

  it('each code works once, typed in any case with or without dashes, and its use is audited', async () => {
    const { audit, recoveryCodes } = setup()
    const codes = await recoveryCodes.generate('user-1')
    trackSecrets(...codes)
    expect(await recoveryCodes.consume('user-1', codes[0]!.toUpperCase().replaceAll('-', ' '))).toEqual({ ok: true })
    expect(await recoveryCodes.consume('user-1', codes[0])).toEqual({ ok: false, reason: 'invalid' })
    expect(await recoveryCodes.consume('user-2', codes[1])).toEqual({ ok: false, reason: 'invalid' }) // bound to its user
    expect(await recoveryCodes.consume('user-1', 'not-a-code')).toEqual({ ok: false, reason: 'invalid' })
    expect(await recoveryCodes.remaining('user-1')).toBe(9)
    expect(audit.ofType('RECOVERY_CODE_USED')).toMatchObject([{ userId: 'user-1', outcome: 'success', data: { remaining: 9 } }])
    expect(audit.ofType('MFA_VERIFIED')).toMatchObject([{ userId: 'user-1', data: { method: 'recovery' } }])
  })

  it('regenerating replaces every old code', async () => {
    const { recoveryCodes } = setup()
    const old = await recoveryCodes.generate('user-1')
    const fresh = await recoveryCodes.generate('user-1')
    trackSecrets(...old, ...fresh)
    expect(await recoveryCodes.consume('user-1', old[0])).toEqual({ ok: false, reason: 'invalid' })
    expect(await recoveryCodes.consume('user-1', fresh[0])).toEqual({ ok: true })
  })

  it('of 20 concurrent consumers of one code, exactly one wins (memory, and two instances on Redis)', async () => {
    const { recoveryCodes } = setup()
    const codes = await recoveryCodes.generate('user-1')
    trackSecrets(...codes)
    const results = await Promise.all(Array.from({ length: 20 }, () => recoveryCodes.consume('user-1', codes[0])))
    expect(results.filter((result) => result.ok)).toHaveLength(1)

    const prefix = `test:recovery:${process.pid}:${Date.now()}:`
    const clients = [new Redis({ lazyConnect: true, enableOfflineQueue: false }), new Redis({ lazyConnect: true, enableOfflineQueue: false })]
    await Promise.all(clients.map((client) => client.connect()))
    try {
      const clock = createTestClock()
      const limiter = createFactorLimiter({ clock, maxAttempts: 50 })
      const [one, two] = clients.map((client) => createRecoveryCodes({ store: new RedisSecondFactorStore({ client, prefix }), clock, limiter }))
      const shared = await one!.generate('user-1')
      trackSecrets(...shared)
      const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two)!.consume('user-1', shared[5])))
      expect(raced.filter((result) => result.ok)).toHaveLength(1)
      expect(await two!.remaining('user-1')).toBe(9)
    } finally {
      await deleteRedisPrefix(clients[0]!, prefix)
      for (const client of clients) client.disconnect()
    }
  })

  it('wrong codes are limited per user, with the limiter TOTP shares', async () => {
    const clock = createTestClock()
    const recoveryCodes = createRecoveryCodes({ store: new MemorySecondFactorStore(), clock, limiter: createFactorLimiter({ clock, maxAttempts: 3 }) })
    const codes = await recoveryCodes.generate('user-1')
    trackSecrets(...codes)
    for (let i = 0; i < 3; i++) await recoveryCodes.consume('user-1', 'aaaa-aaaa-aaaa-aaaa')
    expect(await recoveryCodes.consume('user-1', codes[0])).toMatchObject({ ok: false, reason: 'rate_limited' })
    clock.advance(15 * 60_000)
    expect(await recoveryCodes.consume('user-1', codes[0])).toEqual({ ok: true })
  })
})
