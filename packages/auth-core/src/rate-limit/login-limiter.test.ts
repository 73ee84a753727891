import { createTestClock, deleteRedisPrefix, type TestClock } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisRateLimitStore } from '../redis/redis-rate-limit-store.js'
import { createLoginLimiter, type LoginLimitDecision, type LoginLimiterOptions } from './login-limiter.js'
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

  it('per IP + account: 10 consecutive failures, then that pair is blocked for 15 minutes, which lifts by itself', async () => {
    const clock = createTestClock()
    const limiter = make(clock)
    for (let i = 0; i < 10; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    expect(await limiter.attempt(alice)).toEqual({ allowed: false, reason: 'rate_limited', limit: 'ip_account', retryAfterSeconds: 900 })
    clock.advance(899_000)
    expect(await limiter.check(alice)).toEqual({ allowed: false, reason: 'rate_limited', limit: 'ip_account', retryAfterSeconds: 1 })
    // Neither the account from another IP nor another account from this IP is limited by it.
    expect(await limiter.check({ ...alice, ip: '198.51.100.8' })).toEqual({ allowed: true })
    expect(await limiter.check({ account: 'bob@example.com', ip: alice.ip })).toEqual({ allowed: true })
    clock.advance(1000)
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('a successful sign-in clears the IP + account failures (and case or Unicode spelling share one counter)', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ipAccount: { maxAttempts: 5 } })
    for (let i = 0; i < 5; i++) await limiter.attempt({ ...alice, account: i % 2 ? 'ALICE@example.com' : 'alice@example.com' })
    expect((await limiter.check(alice)).allowed).toBe(false)
    await limiter.recordSuccess(alice)
    for (let i = 0; i < 5; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    expect((await limiter.attempt(alice)).allowed).toBe(false)
  })

  it("one attacker's IP, failing for a day with the default limits, never locks the owner out of their own IP", async () => {
    const clock = createTestClock()
    const limiter = make(clock)
    const attacker = { account: alice.account, ip: '203.0.113.66' }
    for (let i = 0; i < 10; i++) expect(await limiter.attempt(attacker)).toEqual({ allowed: true })
    expect(await limiter.attempt(attacker)).toMatchObject({ allowed: false, limit: 'ip_account' })
    // Ten failures from the attacker's IP lock the attacker out, not Alice.
    expect(await limiter.check(alice)).toEqual({ allowed: true })
    let failures = 10
    let last: LoginLimitDecision = { allowed: true }
    const dayEnds = clock.now() + 86_400_000
    while (clock.now() < dayEnds) {
      last = await limiter.attempt(attacker)
      if (last.allowed) failures++
      else clock.advance(last.retryAfterSeconds * 1000)
      if (!last.allowed && last.limit === 'ip') break
    }
    expect(last).toMatchObject({ allowed: false, limit: 'ip' })
    expect(failures).toBe(100) // the per-IP daily budget, spent in blocks of 10 per 15 minutes
    // Alice, who never signed in from here before, still has her own budget.
    expect(await limiter.check(alice)).toEqual({ allowed: true })
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('per account from any IP: a distributed attack locks the account for new IPs, but not for IPs that signed in to it lately', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ipAccount: { maxAttempts: 3 }, account: { maxAttempts: 6, blockSeconds: 3600, knownIpSeconds: 86_400 } })
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    await limiter.recordSuccess(alice) // Alice's own IP is now known for her account
    for (let i = 0; i < 6; i++) expect(await limiter.attempt({ account: alice.account, ip: `203.0.113.${i}` })).toEqual({ allowed: true })
    expect(await limiter.attempt({ account: alice.account, ip: '203.0.113.99' })).toEqual({
      allowed: false,
      reason: 'locked',
      limit: 'account',
      retryAfterSeconds: 3600,
    })
    expect(await limiter.attempt(alice)).toEqual({ allowed: true })
    // Her success does not refund the locked counter (which would lift the lock for everyone).
    await limiter.recordSuccess(alice)
    expect(await limiter.check({ account: alice.account, ip: '203.0.113.99' })).toMatchObject({ allowed: false, limit: 'account' })
    // An operator lifts the lock.
    await limiter.reset(alice.account)
    expect(await limiter.check({ account: alice.account, ip: '203.0.113.99' })).toEqual({ allowed: true })
  })

  it('knownIpSeconds: 0 spares no IP from the account limit, and the lock lifts by itself', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { account: { maxAttempts: 2, blockSeconds: 600, knownIpSeconds: 0 } })
    await limiter.attempt(alice)
    await limiter.recordSuccess(alice)
    for (let i = 0; i < 2; i++) await limiter.attempt({ account: alice.account, ip: `203.0.113.${i}` })
    expect(await limiter.check(alice)).toEqual({ allowed: false, reason: 'locked', limit: 'account', retryAfterSeconds: 600 })
    clock.advance(600_000)
    expect(await limiter.check(alice)).toEqual({ allowed: true })
  })

  it('per IP: failures across many accounts are capped, then blocked until the block ends', async () => {
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

  it('a success refunds its attempt to the IP, so sign-ins that work never use up the IP budget', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ip: { maxAttempts: 3 } })
    for (let i = 0; i < 10; i++) {
      const user = { account: `user${i}@example.com`, ip: '203.0.113.5' }
      expect(await limiter.attempt(user)).toEqual({ allowed: true })
      await limiter.recordSuccess(user)
    }
  })

  it('failures older than the window are forgotten', async () => {
    const clock = createTestClock()
    const limiter = make(clock, { ipAccount: { maxAttempts: 5, windowSeconds: 60 } })
    for (let i = 0; i < 4; i++) await limiter.attempt(alice)
    clock.advance(61_000)
    for (let i = 0; i < 5; i++) expect(await limiter.attempt(alice)).toEqual({ allowed: true })
  })

  it('parallel attempts cannot all slip past the limit', async () => {
    const clock = createTestClock()
    const limiter = make(clock)
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.attempt(alice)))
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(10)
  })
})

describe('createLoginLimiter options', () => {
  it('throws a TypeError naming the option path', () => {
    expect(() => createLoginLimiter({ store: 'disk' as never })).toThrow(/options\.store/)
    expect(() => createLoginLimiter({ store: 'memory', account: { knownIpSeconds: -1 } })).toThrow(/options\.account\.knownIpSeconds/)
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
