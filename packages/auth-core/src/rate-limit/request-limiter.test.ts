import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { MemoryRateLimitStore } from './rate-limit-store.js'
import { createRequestLimiter } from './request-limiter.js'

describe('createRequestLimiter (test clock)', () => {
  it('allows maxRequests per key, then refuses with the time left until the block ends', async () => {
    const clock = createTestClock()
    const limiter = createRequestLimiter({ store: 'memory', clock, keyPrefix: 'test', maxRequests: 3, windowSeconds: 60, blockSeconds: 120 })
    for (let i = 0; i < 3; i++) expect(await limiter.consume('198.51.100.7')).toEqual({ allowed: true })
    expect(await limiter.consume('198.51.100.7')).toEqual({ allowed: false, retryAfterSeconds: 120 })
    expect(await limiter.consume('198.51.100.8')).toEqual({ allowed: true })
    clock.advance(119_500)
    expect(await limiter.consume('198.51.100.7')).toEqual({ allowed: false, retryAfterSeconds: 1 })
    clock.advance(500)
    expect(await limiter.consume('198.51.100.7')).toEqual({ allowed: true })
  })

  it('forgets requests older than the window', async () => {
    const clock = createTestClock()
    const limiter = createRequestLimiter({ store: 'memory', clock, keyPrefix: 'test', maxRequests: 3, windowSeconds: 60 })
    for (let i = 0; i < 2; i++) await limiter.consume('k')
    clock.advance(60_000)
    for (let i = 0; i < 3; i++) expect(await limiter.consume('k')).toEqual({ allowed: true })
  })

  it('parallel requests cannot all slip past the limit', async () => {
    const limiter = createRequestLimiter({ store: new MemoryRateLimitStore(), clock: createTestClock(), keyPrefix: 'test', maxRequests: 5 })
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('k')))
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(5)
  })

  it('throws a TypeError naming the bad option', () => {
    expect(() => createRequestLimiter({ store: 'memory', keyPrefix: 'x' } as never)).toThrow(/options\.maxRequests/)
    expect(() => createRequestLimiter({ store: 'memory', keyPrefix: '', maxRequests: 1 })).toThrow(/options\.keyPrefix/)
    expect(() => createRequestLimiter({ store: 'memory', keyPrefix: 'x', maxRequests: 0 })).toThrow(/options\.maxRequests/)
  })
})
