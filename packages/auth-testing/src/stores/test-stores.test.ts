import { createAccessTokens, createLoginLimiter, createRefreshFamilies, MemoryRefreshStore } from '@acme/auth-core'
import { describe, expect, it } from 'vitest'
import { createTestKeyRing } from '../keys/test-key-ring.js'
import { createTestClock } from '../test-clock.js'
import { snapshotRefreshStore } from './snapshot-refresh-store.js'
import { createTestRateLimitStore } from './test-rate-limit-store.js'

describe('createTestRateLimitStore', () => {
  it('shows the counters a login limiter wrote, and forgets deleted ones', async () => {
    const clock = createTestClock()
    const store = createTestRateLimitStore()
    const limiter = createLoginLimiter({ store, clock })
    const who = { account: 'alice@example.com', ip: '203.0.113.9' }
    await limiter.attempt(who)
    await limiter.attempt(who)
    expect(store.snapshot()['login:ip:203.0.113.9']).toEqual({ value: 2, expiresAt: clock.now() + 86_400_000 })
    expect(store.size).toBe(3) // account, IP, IP + account
    await limiter.recordSuccess(who) // clears the IP + account counter, refunds the account and IP ones, remembers the IP
    const keys = Object.keys(store.snapshot())
    expect(keys.filter((key) => key.startsWith('login:ipacct:'))).toEqual([])
    expect(keys.filter((key) => key.startsWith('login:known:203.0.113.9|'))).toHaveLength(1)
    expect(store.snapshot()['login:ip:203.0.113.9']?.value).toBe(1)
    expect(store.snapshot()[keys.find((key) => key.startsWith('login:acct:'))!]?.value).toBe(1)
    expect(keys.some((key) => key.includes('alice'))).toBe(false) // accounts arrive hashed
  })
})

describe('snapshotRefreshStore', () => {
  it('lists every family and token record of a MemoryRefreshStore', async () => {
    const clock = createTestClock()
    const store = new MemoryRefreshStore()
    const accessTokens = createAccessTokens({ keyRing: await createTestKeyRing({ clock }), issuer: 'https://app.example.com', audience: 'api', clock })
    const families = createRefreshFamilies({ store, accessTokens, clock })
    const first = await families.issue({ sub: 'u1', sid: 's1', roles: [] })
    await families.rotate(first.refreshToken)
    const other = await families.issue({ sub: 'u2', sid: 's2', roles: [] })
    await families.revokeFamily(other.familyId)
    const { families: held, tokens } = await snapshotRefreshStore(store)
    expect(held.map((family) => [family.userId, family.status]).sort()).toEqual([['u1', 'active'], ['u2', 'revoked']])
    expect(tokens.map((token) => token.status).sort()).toEqual(['current', 'current', 'rotated'])
  })
})
