import { createTestClock, deleteRedisPrefix, type TestClock } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisRateLimitStore } from '../redis/redis-rate-limit-store.js'
import { createLoginLimiter, type LoginLimiterOptions } from './login-limiter.js'
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js'

const prefix = `test:core-rate-limit:${process.pid}:${Math.random().toString(36).slice(2)}:`
let redis: Redis

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
})

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix)
  redis.disconnect()
})

let run = 0
const backends: [string, () => RateLimitStore][] = [
  ['memory', () => new MemoryRateLimitStore()],
  ['real Redis', () => createRedisRateLimitStore({ client: redis, prefix: `${prefix}${run++}:` })],
]

describe.each(backends)('createLoginLimiter on %s, driven by a test clock', (_name, makeStore) => {
  const make = (clock: TestClock, options: Partial<LoginLimiterOptions> = {}) =>
    createLoginLimiter({ store: makeStore(), clock, ...options })
  const alice = { account: 'alice@example.com', ip: '198.51.100.7' }

  it('per account: 5 free attempts, then a doubling delay, then a 15-minute lock that lifts by itself', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ipAccount: { maxAttempts: 1000 } })
    for (let i = 0; i < 5; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const refused = await limiter.attempt(alice)
      expect(refused).toMatchObject({ allowed: false, reason: 'rate_limited', limit: 'account' })
      if (refused.allowed) throw new Error('unreachable')
      delays.push(refused.retryAfterSeconds)
      clock.advance(refused.retryAfterSeconds * 1000)
      expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    }
    expect(delays).toEqual([1, 2, 4, 8])
    clock.advance(16_000)
    expect(await limiter.attempt(alice)).toEqual({ allowed: true }) // the 10th failure: lock
    expect(await limiter.attempt(alice)).toEqual({ allowed: false, reason: 'locked', limit: 'account', retryAfterSeconds: 900 })
    clock.advance(899_000)
    expect(await limiter.check(alice)).toEqual({ allowed: false, reason: 'locked', limit: 'account', retryAfterSeconds: 1 })
    clock.advance(1000)
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    // Another account from the same IP was never limited by Alice's lock.
    expect(await limiter.check({ account: 'bob@example.com', ip: alice.ip })).toEqual({ allowed: true })
  })

  it('a successful sign-in clears the account counter (and case or Unicode spelling share one counter)', async () => {
    const clock = createTestClock()
    const limiter = make(clock)
    for (let i = 0; i < 4; i++) await limiter.attempt({ ...alice, account: i % 2 ? 'ALICE@example.com' : 'alice@example.com' })
    await limiter.attempt(alice)
    expect((await limiter.check(alice)).allowed).toBe(false)
    await limiter.recordSuccess(alice)
    for (let i = 0; i < 5; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    expect((await limiter.attempt(alice)).allowed).toBe(false)
    await limiter.reset(alice.account)
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('per IP: attempts across many accounts are capped, then blocked until the block ends', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ip: { maxAttempts: 20, windowSeconds: 3600, blockSeconds: 600 } })
    for (let i = 0; i < 20; i++) expect(await limiter.attempt({ account: `user${i}@example.com`, ip: '203.0.113.5' })).toEqual({ allowed: true })
    expect(await limiter.attempt({ account: 'fresh@example.com', ip: '203.0.113.5' })).toEqual({
      allowed: false,
      reason: 'rate_limited',
      limit: 'ip',
      retryAfterSeconds: 600,
    })
    expect(await limiter.check({ account: 'fresh@example.com', ip: '203.0.113.6' })).toEqual({ allowed: true })
    clock.advance(600_000)
    expect(await limiter.attempt({ account: 'fresh@example.com', ip: '203.0.113.5' })).toEqual({ allowed: true })
  })

  it('per IP + account: one client hammering one account is blocked before the account lock', async () => {
    const clock = createTestClock()
    const limiter = make(clock, {
      account: { freeAttempts: 50, lockAfter: 100 },
      ipAccount: { maxAttempts: 3, windowSeconds: 3600, blockSeconds: 300 },
    })
    for (let i = 0; i < 3; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    expect(await limiter.attempt(alice)).toMatchObject({ allowed: false, limit: 'ip_account', retryAfterSeconds: 300 })
    expect(await limiter.attempt({ ...alice, ip: '198.51.100.8' })).toEqual({ allowed: true }) // another IP
    clock.advance(300_000)
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('failures older than the window are forgotten', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { account: { windowSeconds: 60 } })
    for (let i = 0; i < 4; i++) await limiter.attempt(alice)
    clock.advance(61_000)
    for (let i = 0; i < 5; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('parallel attempts cannot all slip past the limit', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ipAccount: { maxAttempts: 1000 } })
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.attempt(alice)))
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(10)
  })
})

describe('createLoginLimiter options', () => {
  it('throws a TypeError naming the option path', () => {
    expect(() => createLoginLimiter({ store: 'disk' as never })).toThrow(/options\.store/)
    expect(() => createLoginLimiter({ store: 'memory', account: { lockAfter: 2, freeAttempts: 5 } })).toThrow(/options\.account\.lockAfter/)
    expect(() => createLoginLimiter({ store: 'memory', ip: { blockSeconds: -1 } })).toThrow(/options\.ip\.blockSeconds/)
  })

  it('keeps no email in Redis keys or values', async () => {
    const own = `${prefix}pii:`
    const limiter = createLoginLimiter({ store: createRedisRateLimitStore({ client: redis, prefix: own }), clock: createTestClock() })
    await limiter.attempt({ account: 'carol@example.com', ip: '192.0.2.1' })
    const keys = await redis.keys(`${own}*`)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.join(' ')).not.toContain('carol')
  })
})
