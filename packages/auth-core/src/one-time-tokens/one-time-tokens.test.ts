import { createTestClock, deleteRedisPrefix, dumpRedis } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisOneTimeTokenStore } from '../redis/redis-one-time-token-store.js'
import { MemoryOneTimeTokenStore, type OneTimeTokenStore } from './one-time-token-store.js'
import { createOneTimeTokens } from './one-time-tokens.js'

const prefix = `test:core-ott:${process.pid}:${Math.random().toString(36).slice(2)}:`
let redis: Redis

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
})

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix)
  redis.disconnect()
})

const backends: [string, () => { store: OneTimeTokenStore; dump: () => Promise<string> }][] = [
  [
    'memory',
    () => {
      const store = new MemoryOneTimeTokenStore()
      return { store, dump: () => Promise.resolve(JSON.stringify(store.snapshot())) }
    },
  ],
  ['real Redis', () => ({ store: new RedisOneTimeTokenStore({ client: redis, prefix }), dump: () => dumpRedis(redis, prefix) })],
]

describe.each(backends)('createOneTimeTokens on %s', (_name, make) => {
  it('a token works once, for its user and purpose, and is stored only as a hash', async () => {
    const { store, dump } = make()
    const tokens = createOneTimeTokens({ store, clock: createTestClock() })
    const issued = await tokens.issue('user-1', 'email_verification')
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
    const stored = await dump()
    expect(stored).not.toContain(issued.token.split('.')[1])
    expect(await tokens.consume(issued.token, 'password_reset')).toBeNull() // wrong purpose leaves it usable
    expect(await tokens.consume(issued.token, 'email_verification')).toEqual({ userId: 'user-1', id: issued.id })
    expect(await tokens.consume(issued.token, 'email_verification')).toBeNull()
  })

  it('is single-use under 50 concurrent consumes', async () => {
    const { store } = make()
    const tokens = createOneTimeTokens({ store, clock: createTestClock() })
    const { token } = await tokens.issue('user-2', 'password_reset')
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.consume(token, 'password_reset')))
    expect(results.filter((r) => r !== null)).toEqual([{ userId: 'user-2', id: token.split('.')[0] }])
  })

  it('expires after its TTL (15 minutes by default) by the injected clock', async () => {
    const { store } = make()
    const clock = createTestClock()
    const tokens = createOneTimeTokens({ store, clock })
    const a = await tokens.issue('user-3', 'password_reset')
    const b = await tokens.issue('user-3', 'password_reset')
    const c = await tokens.issue('user-3', 'password_reset', { ttlSeconds: 3600 })
    clock.advance(15 * 60_000 - 1)
    expect(await tokens.consume(a.token, 'password_reset')).not.toBeNull()
    clock.advance(1)
    expect(await tokens.consume(b.token, 'password_reset')).toBeNull()
    expect(await tokens.consume(c.token, 'password_reset')).not.toBeNull()
  })

  it('revokeAllForUser deletes every token of the user, of every purpose, and no one else’s', async () => {
    const { store } = make()
    const tokens = createOneTimeTokens({ store, clock: createTestClock() })
    const a = await tokens.issue('user-5', 'password_reset')
    const b = await tokens.issue('user-5', 'email_verification', { ttlSeconds: 86_400 })
    const other = await tokens.issue('user-6', 'password_reset')
    expect(await tokens.revokeAllForUser('user-5')).toBe(2)
    expect(await tokens.consume(a.token, 'password_reset')).toBeNull()
    expect(await tokens.consume(b.token, 'email_verification')).toBeNull()
    expect(await tokens.consume(other.token, 'password_reset')).not.toBeNull()
    expect(await tokens.revokeAllForUser('user-5')).toBe(0)
  })

  it('a wrong secret for a real id neither succeeds nor burns the token', async () => {
    const { store } = make()
    const tokens = createOneTimeTokens({ store, clock: createTestClock() })
    const { token, id } = await tokens.issue('user-4', 'password_reset')
    expect(await tokens.consume(`${id}.${'A'.repeat(43)}`, 'password_reset')).toBeNull()
    for (const junk of [undefined, 42, '', 'a.b', `${id}.`, `${token}x`, token.replace('.', '')]) {
      expect(await tokens.consume(junk, 'password_reset')).toBeNull()
    }
    expect(await tokens.consume(token, 'password_reset')).not.toBeNull()
  })
})

describe('revokeAllForUser', () => {
  it('answers null when the store cannot delete by user', async () => {
    const { consumeOne, save } = new MemoryOneTimeTokenStore()
    const store = new MemoryOneTimeTokenStore()
    const tokens = createOneTimeTokens({ store: { save: save.bind(store), consumeOne: consumeOne.bind(store) } })
    expect(await tokens.revokeAllForUser('user-7')).toBeNull()
  })
})

describe('createOneTimeTokens options', () => {
  it('throws TypeErrors naming the option', async () => {
    expect(() => createOneTimeTokens({ store: {} as never })).toThrow(/options\.store\.save/)
    expect(() => createOneTimeTokens({ store: new MemoryOneTimeTokenStore(), ttlSeconds: 0 })).toThrow(/options\.ttlSeconds/)
    const tokens = createOneTimeTokens({ store: new MemoryOneTimeTokenStore() })
    await expect(tokens.issue('', 'password_reset')).rejects.toThrow(/userId/)
    await expect(tokens.issue('u', 'Has Spaces')).rejects.toThrow(/purpose/)
  })
})

describe('MemoryOneTimeTokenStore with maxRecords', () => {
  it('holds at most maxRecords: the oldest tokens are evicted first, the newest keep working', async () => {
    const clock = createTestClock()
    const store = new MemoryOneTimeTokenStore({ maxRecords: 3 })
    const tokens = createOneTimeTokens({ store, clock })
    const issued = []
    for (let i = 0; i < 5; i++) issued.push(await tokens.issue(`user-${i}`, 'email_verification'))
    expect(store.size).toBe(3)
    expect(await tokens.consume(issued[0]!.token, 'email_verification')).toBeNull()
    expect(await tokens.consume(issued[1]!.token, 'email_verification')).toBeNull()
    for (let i = 2; i < 5; i++) expect(await tokens.consume(issued[i]!.token, 'email_verification')).toMatchObject({ userId: `user-${i}` })
  })

  it('refuses a maxRecords that is not a positive integer', () => {
    expect(() => new MemoryOneTimeTokenStore({ maxRecords: 0 })).toThrow(/maxRecords/)
    expect(() => new MemoryOneTimeTokenStore({ maxRecords: 1.5 })).toThrow(/maxRecords/)
  })
})
