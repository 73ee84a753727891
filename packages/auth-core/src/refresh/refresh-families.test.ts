import { createTestClock, deleteRedisPrefix, type TestClock, createRecordingAuditSink } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEvent, AuditSink } from '../audit/audit-event.js'
import { isAuthError } from '../errors.js'
import { createKeyRing } from '../keys/key-ring.js'
import { MemorySessionStore } from '../sessions/memory-session-store.js'
import { createSessionManager } from '../sessions/session-manager.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { RedisRefreshStore } from '../redis/redis-refresh-store.js'
import { createAccessTokenVerifier } from '../tokens/access-token-verifier.js'
import { createAccessTokens } from '../tokens/access-tokens.js'
import { MemoryRefreshStore } from './memory-refresh-store.js'
import { createRefreshFamilies, type RefreshFamiliesOptions } from './refresh-families.js'
import type { RefreshStore } from './refresh-store.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const day = 86_400_000
const prefix = `test:refresh:${process.pid}:${Math.random().toString(36).slice(2)}:`
let redis: Redis
const redisClients: Redis[] = []

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false })
  await redis.connect()
})

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix)
  for (const client of redisClients) client.disconnect()
  redis.disconnect()
})

/** Each "instance" gets its own store object (and, for Redis, its own connection) over shared data. */
const stores: Record<string, (clock: TestClock) => Promise<RefreshStore>> = {
  memory: (clock) => {
    const store = new MemoryRefreshStore({ clock })
    return Promise.resolve(store)
  },
  redis: async () => {
    const client = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false })
    await client.connect()
    redisClients.push(client)
    return new RedisRefreshStore({ client, prefix })
  },
}

describe.each(Object.keys(stores))('refresh families on the %s store', (kind) => {
  async function setup(options: Partial<RefreshFamiliesOptions> = {}, shared?: { store: RefreshStore; clock: TestClock }) {
    const clock = shared?.clock ?? createTestClock()
    const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret, clock })
    const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
    const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
    const store = shared?.store ?? (await stores[kind]!(clock))
    const events: AuditEvent[] = []
    const families = createRefreshFamilies({ store, accessTokens, clock, audit: recordInto(events), ...options })
    const user = `user-${Math.random().toString(36).slice(2)}`
    const issue = (sub = user) => families.issue({ sub, sid: `sid-${sub}`, roles: ['member'], scope: 'notes' })
    // A second instance: its own manager and store object, the same data (memory: the same object).
    const instance = async (extra: Partial<RefreshFamiliesOptions> = {}) =>
      createRefreshFamilies({ store: kind === 'memory' ? store : await stores[kind]!(clock), accessTokens, clock, audit: recordInto(events), ...options, ...extra })
    return { clock, families, store, events, issue, verifier, user, instance }
  }

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(() => 'ok', (error: unknown) => (isAuthError(error) ? error.code : String(error)))

  it('issues an opaque token stored only as a hash, and rotates it into a new pair with the same claims', async () => {
    const { families, store, issue, verifier, user } = await setup()
    const first = await issue()
    expect(first.refreshToken).toMatch(/^[\w-]{46}\.[\w-]{43}$/)
    const secretPart = first.refreshToken.split('.')[1]!
    const found = await store.find(first.refreshToken.split('.')[0]!)
    expect(JSON.stringify(found)).not.toContain(secretPart)
    const next = await families.rotate(first.refreshToken)
    expect(next.refreshToken).not.toBe(first.refreshToken)
    expect(next.familyId).toBe(first.familyId)
    expect(await verifier.verify(next.accessToken)).toMatchObject({ sub: user, sid: `sid-${user}`, roles: ['member'], scope: 'notes' })
    const old = await store.find(first.refreshToken.split('.')[0]!)
    expect(old?.token).toMatchObject({ status: 'rotated', successorId: next.refreshToken.split('.')[0] })
    expect(old?.family.currentTokenId).toBe(next.refreshToken.split('.')[0])
  })

  it('rejects a rotated token after the grace window, revokes its family (successor too) and audits it', async () => {
    const { families, issue, clock, events, user } = await setup()
    const first = await issue()
    const second = await families.rotate(first.refreshToken)
    clock.advance(10_001)
    expect(await codeOf(families.rotate(first.refreshToken, { ip: '203.0.113.9', userAgent: 'thief/1.0' }))).toBe('ERR_REFRESH_TOKEN_REUSED')
    const reuse = events.find((event) => event.type === 'REFRESH_TOKEN_REUSE')
    expect(reuse).toMatchObject({ familyId: first.familyId, userId: user, ip: '203.0.113.9', userAgent: 'thief/1.0', outcome: 'failure' })
    expect(reuse!.tokenFingerprint).toMatch(/^[\w-]{12}$/)
    expect(JSON.stringify(events)).not.toContain(first.refreshToken.split('.')[1])
    expect(events.some((event) => event.type === 'REFRESH_FAMILY_REVOKED' && event.reason === 'reuse')).toBe(true)
    expect(await codeOf(families.rotate(second.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
  })

  it('replays the SAME successor to the immediate predecessor within the grace window, without a new branch', async () => {
    const { families, issue, clock, events } = await setup()
    const first = await issue()
    const second = await families.rotate(first.refreshToken)
    clock.advance(9_000)
    const again = await families.rotate(first.refreshToken)
    expect(again).toEqual(second)
    expect(events.filter((event) => event.type === 'REFRESH_TOKEN_REUSE')).toHaveLength(0)
    const third = await families.rotate(second.refreshToken)
    // Once the successor itself rotated, the old token is no longer the immediate predecessor.
    expect(await codeOf(families.rotate(first.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
    expect(await codeOf(families.rotate(third.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
  })

  it('treats any second use as reuse when the grace window is 0', async () => {
    const { families, issue, clock } = await setup({ graceSeconds: 0 })
    const first = await issue()
    await families.rotate(first.refreshToken)
    clock.advance(1)
    expect(await codeOf(families.rotate(first.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
  })

  it('refuses a wrong secret or a malformed token without touching the family', async () => {
    const { families, issue } = await setup()
    const first = await issue()
    const [id] = first.refreshToken.split('.')
    expect(await codeOf(families.rotate(`${id}.${'A'.repeat(43)}`))).toBe('ERR_REFRESH_TOKEN_INVALID')
    expect(await codeOf(families.rotate('nope'))).toBe('ERR_REFRESH_TOKEN_INVALID')
    expect(await families.revokeToken(`${id}.${'A'.repeat(43)}`)).toBeNull()
    await expect(families.rotate(first.refreshToken)).resolves.toMatchObject({ familyId: first.familyId })
  })

  it('expires an idle family after 14 days and any family after 90 days', async () => {
    const { families, issue, clock } = await setup()
    const idle = await issue()
    let live = await issue()
    for (let i = 0; i < 6; i++) {
      clock.advance(13 * day)
      live = await families.rotate(live.refreshToken)
    }
    expect(await codeOf(families.rotate(idle.refreshToken))).toBe('ERR_REFRESH_TOKEN_EXPIRED')
    expect(live.refreshTokenExpiresAt).toBe(Math.min(clock.now() + 14 * day, clock.now() - 78 * day + 90 * day))
    clock.advance(12 * day)
    expect(await codeOf(families.rotate(live.refreshToken))).toBe('ERR_REFRESH_TOKEN_EXPIRED')
  })

  it('revokes one family, every family of a user, or the family of a presented token', async () => {
    const { families, issue, user, events } = await setup()
    const [a, b, other] = [await issue(), await issue(), await issue(`${user}-other`)]
    expect(await families.revokeAllForUser(user)).toBe(2)
    expect(await codeOf(families.rotate(a.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
    expect(await codeOf(families.rotate(b.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
    const next = await families.rotate(other.refreshToken)
    expect(await families.revokeFamily(other.familyId)).toBe(true)
    expect(await families.revokeFamily(other.familyId)).toBe(false)
    expect(await codeOf(families.rotate(next.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
    const c = await issue()
    expect(await families.revokeToken(c.refreshToken)).toEqual({ familyId: c.familyId, userId: user, sessionId: `sid-${user}` })
    expect(events.filter((event) => event.type === 'REFRESH_FAMILY_REVOKED').map((event) => event.reason)).toEqual(
      expect.arrayContaining(['user', 'user', 'revoked', 'logout']),
    )
  })

  it('lives only while its session lives: each rotation slides the session, an ended session revokes the family', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
    const { families, events, user } = await setup({ sessions }, { clock, store: await stores[kind]!(clock) })
    expect(families.bindsSessions).toBe(true)
    const { session } = await sessions.create(user)
    let pair = await families.issue({ sub: user, sid: session.id, roles: [] })
    // Six days apart, four times: 24 days of use, never 7 days idle (the session's idle limit).
    for (let i = 0; i < 4; i++) {
      clock.advance(6 * day)
      pair = await families.rotate(pair.refreshToken)
      const [listed] = await sessions.listForUser(user)
      expect(listed).toMatchObject({ lastSeenAt: clock.now(), idleExpiresAt: Math.min(clock.now() + 7 * day, session.absoluteExpiresAt) })
    }
    await sessions.revoke(session.id)
    expect(await codeOf(families.rotate(pair.refreshToken))).toBe('ERR_REFRESH_SESSION_ENDED')
    expect(events.some((event) => event.type === 'REFRESH_FAMILY_REVOKED' && event.reason === 'session-ended')).toBe(true)
    expect(await codeOf(families.rotate(pair.refreshToken))).not.toBe('ok')
  })

  it('a rotation reads only its own session, with 1 device or 50: it never lists the user’s sessions', async () => {
    const clock = createTestClock()
    const store = new MemorySessionStore()
    const calls = { listForUser: 0, get: 0 }
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          if (property === 'listForUser' || property === 'get') calls[property]++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const sessions = createSessionManager({ store: counted, clock })
    const { families, user } = await setup({ sessions }, { clock, store: await stores[kind]!(clock) })
    const readsPerRotation: number[] = []
    for (const devices of [1, 50]) {
      const pairs = []
      for (let i = 0; i < devices; i++) {
        const { session } = await sessions.create(`${user}-${devices}`)
        pairs.push(await families.issue({ sub: `${user}-${devices}`, sid: session.id, roles: [] }))
      }
      clock.advance(61_000) // past the touch interval: the rotation slides the session
      Object.assign(calls, { listForUser: 0, get: 0 })
      await families.rotate(pairs[0]!.refreshToken)
      expect(calls.listForUser).toBe(0)
      readsPerRotation.push(calls.get)
    }
    expect(readsPerRotation[0]).toBeLessThanOrEqual(1)
    expect(readsPerRotation[1]).toBe(readsPerRotation[0])
  })

  it('a reused refresh token ends the family AND its session at once', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
    const { families, user } = await setup({ sessions, graceSeconds: 0 }, { clock, store: await stores[kind]!(clock) })
    const { session, token } = await sessions.create(user)
    const first = await families.issue({ sub: user, sid: session.id, roles: [] })
    const second = await families.rotate(first.refreshToken)
    clock.advance(1)
    expect(await codeOf(families.rotate(first.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
    expect(await sessions.validate(token)).toBeNull()
    expect(await sessions.listForUser(user)).toEqual([])
    expect(await codeOf(families.rotate(second.refreshToken))).not.toBe('ok')
  })

  it('never slides a session past its absolute lifetime', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock, expiry: { idleSeconds: 3600, absoluteSeconds: 3 * 3600 } })
    const { families, user } = await setup({ sessions }, { clock, store: await stores[kind]!(clock) })
    const { session } = await sessions.create(user)
    let pair = await families.issue({ sub: user, sid: session.id, roles: [] })
    for (let i = 0; i < 5; i++) {
      clock.advance(30 * 60_000)
      pair = await families.rotate(pair.refreshToken)
    }
    expect((await sessions.listForUser(user))[0]!.idleExpiresAt).toBe(session.absoluteExpiresAt)
    clock.advance(30 * 60_000)
    expect(await codeOf(families.rotate(pair.refreshToken))).toBe('ERR_REFRESH_SESSION_ENDED')
  })

  it('revokeToken ends the family and its session from the refresh token alone; inspect tells who holds a live token', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
    const { families, user } = await setup({ sessions }, { clock, store: await stores[kind]!(clock) })
    const { session } = await sessions.create(user)
    const first = await families.issue({ sub: user, sid: session.id, roles: [] })
    expect(await families.inspect(first.refreshToken)).toEqual({ familyId: first.familyId, userId: user, sessionId: session.id, live: true })
    const second = await families.rotate(first.refreshToken)
    clock.advance(10_001)
    expect(await families.inspect(first.refreshToken)).toMatchObject({ live: false })
    expect(await families.inspect(`${first.refreshToken.split('.')[0]!}.${'A'.repeat(43)}`)).toBeNull()
    expect(await families.revokeToken(second.refreshToken)).toEqual({ familyId: first.familyId, userId: user, sessionId: session.id })
    expect(await sessions.listForUser(user)).toEqual([])
    expect(await families.inspect(second.refreshToken)).toMatchObject({ live: false })
    expect(await codeOf(families.rotate(second.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
  })

  it('updateRoles rewrites the grant of every live family of the user: the next rotation mints with the new roles', async () => {
    const { families, issue, verifier, user, events } = await setup()
    const [a, b, other] = [await issue(), await issue(), await issue(`${user}-other`)]
    await families.revokeFamily(b.familyId)
    expect(await families.updateRoles(user, [])).toBe(1)
    expect(await verifier.verify((await families.rotate(a.refreshToken)).accessToken)).toMatchObject({ roles: [] })
    expect(await families.updateRoles(user, ['admin', 'member'])).toBe(1)
    expect(await verifier.verify((await families.rotate((await families.rotate(a.refreshToken)).refreshToken)).accessToken)).toMatchObject({ roles: ['admin', 'member'] })
    expect(await verifier.verify((await families.rotate(other.refreshToken)).accessToken)).toMatchObject({ roles: ['member'] })
    expect(events.some((event) => event.type === 'ROLES_UPDATED' && event.userId === user)).toBe(true)
    await expect(families.updateRoles(user, 'admin' as never)).rejects.toThrow(TypeError)
  })

  it('gives 200 concurrent rotations of one token in one process exactly one new token and no errors', async () => {
    const { families, issue, events } = await setup()
    const first = await issue()
    const results = await Promise.all(Array.from({ length: 200 }, () => families.rotate(first.refreshToken)))
    expect(new Set(results.map((result) => result.refreshToken)).size).toBe(1)
    expect(new Set(results.map((result) => result.accessToken)).size).toBe(1)
    expect(events.filter((event) => event.type === 'REFRESH_ROTATED')).toHaveLength(1)
  })

  it.each([10, 0])('gives 200 concurrent rotations split across two instances exactly one new token (grace %i s)', async (graceSeconds) => {
    const { families, issue, instance, events } = await setup({ graceSeconds })
    const other = await instance()
    const first = await issue()
    const settled = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? families : other).rotate(first.refreshToken)),
    )
    const rejected = settled.filter((result) => result.status === 'rejected')
    expect(rejected).toEqual([])
    const tokens = new Set(settled.map((result) => (result as PromiseFulfilledResult<{ refreshToken: string }>).value.refreshToken))
    expect(tokens.size).toBe(1)
    expect(events.filter((event) => event.type === 'REFRESH_ROTATED' && event.data?.replayed !== true)).toHaveLength(1)
    expect(events.filter((event) => event.type === 'REFRESH_TOKEN_REUSE')).toHaveLength(0)
    // The one successor works, on either instance.
    await expect(other.rotate([...tokens][0]!)).resolves.toMatchObject({ familyId: first.familyId })
  })
})

/** Keeps this file's events for its own assertions and records them for the whole-run secret check. */
function recordInto(events: AuditEvent[]): AuditSink {
  const recording = createRecordingAuditSink()
  return {
    emit(event) {
      events.push(event)
      recording.emit(event)
    },
  }
}
