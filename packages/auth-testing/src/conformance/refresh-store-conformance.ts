import {
  createAccessTokens,
  createRefreshFamilies,
  isAuthError,
  type RefreshFamiliesOptions,
  type RefreshStore,
  type RefreshTokenRecord,
} from '@acme/auth-core'
// The suite writes and reads records the way core's refresh families do: it needs their token format and hash.
import { parseRefreshToken, randomToken, sha256 } from '@acme/auth-core/internal'
import { describe, expect, it } from 'vitest'
import { createTestKeyRing } from '../keys/test-key-ring.js'
import { createRecordingAuditSink } from '../recording-audit-sink.js'
import { createTestClock, type TestClock } from '../test-clock.js'
import { expectLockContract } from './lock-contract.js'
import { useStoreHarness, type StoreHarness, type StoreHarnessSetup } from './store-harness.js'

/** What {@link runRefreshStoreConformance} needs: a fresh, empty refresh store per call. */
export type RefreshStoreHarness = StoreHarness<RefreshStore>

const day = 86_400_000
let userCounter = 0
const newUser = () => `conformance-user-${process.pid}-${Date.now()}-${++userCounter}`

const codeOf = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (error: unknown) => (isAuthError(error) ? error.code : String(error)))

/**
 * The refresh store contract, as vitest tests, mostly through core's `createRefreshFamilies`:
 * create and find (exact round trip), rotation to one successor, reuse detection that revokes the
 * family, the grace-window replay, idle and absolute expiry by the caller's clock, revocation
 * (one family, all of a user's, concurrent revokes), role updates of a user's live families, locks, one successor among 50 concurrent
 * `rotate` calls on the store and among 50 rotations through two instances, and no secret at rest.
 * `setup` runs before every test.
 *
 * @example
 * ```ts
 * import { MemoryRefreshStore } from '@acme/auth-core'
 * import { snapshotRefreshStore } from '@acme/auth-testing'
 * import { runRefreshStoreConformance } from '@acme/auth-testing/conformance'
 *
 * runRefreshStoreConformance('MemoryRefreshStore', () => {
 *   const store = new MemoryRefreshStore()
 *   return { store, dump: async () => JSON.stringify(await snapshotRefreshStore(store)) }
 * })
 * ```
 */
export function runRefreshStoreConformance(name: string, setup: StoreHarnessSetup<RefreshStore>): void {
  describe(`${name}: refresh store conformance`, () => {
    const harness = useStoreHarness(setup)

    const families = async (clock: TestClock, options: Partial<RefreshFamiliesOptions> = {}, store = harness().store) => {
      const keyRing = await createTestKeyRing({ clock })
      const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.example.com', audience: 'api', clock })
      const audit = createRecordingAuditSink()
      return { families: createRefreshFamilies({ store, accessTokens, clock, audit, ...options }), audit, accessTokens }
    }
    const idOf = (refreshToken: string) => parseRefreshToken(refreshToken)!.id

    it('creates a family and finds its first token with the family, field for field', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const userId = newUser()
      const issued = await refresh.issue({ sub: userId, sid: 'session-1', roles: ['member'], scope: 'notes', aud: ['api', 'other'], authTime: 1_900_000_000, acr: 'mfa' })
      const parts = parseRefreshToken(issued.refreshToken)!
      const found = await harness().store.find(parts.id)
      expect(found).toEqual({
        token: {
          id: parts.id, familyId: issued.familyId, secretHash: await sha256(parts.secret), status: 'current',
          createdAt: clock.now(), rotatedAt: null, successorId: null, sealedSuccessor: null,
        },
        family: {
          id: issued.familyId, userId, sessionId: 'session-1', status: 'active',
          grant: { roles: ['member'], scope: 'notes', aud: ['api', 'other'], authTime: 1_900_000_000, acr: 'mfa' },
          createdAt: clock.now(), lastUsedAt: clock.now(), idleExpiresAt: clock.now() + 14 * day, absoluteExpiresAt: clock.now() + 90 * day,
          currentTokenId: parts.id, revokedAt: null, revokedReason: null,
        },
      })
      expect(await harness().store.find(`${parts.familyId}${randomToken(12)}`)).toBeNull()
    })

    it('rotates a token into exactly one successor, which becomes the family’s current token', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const first = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      clock.advance(60_000)
      const second = await refresh.rotate(first.refreshToken)
      const old = await harness().store.find(idOf(first.refreshToken))
      expect(old?.token).toMatchObject({ status: 'rotated', rotatedAt: clock.now(), successorId: idOf(second.refreshToken) })
      expect(old?.token.sealedSuccessor).toEqual(expect.any(String))
      expect(old?.family).toMatchObject({ currentTokenId: idOf(second.refreshToken), lastUsedAt: clock.now(), idleExpiresAt: clock.now() + 14 * day })
      expect((await harness().store.find(idOf(second.refreshToken)))?.token).toMatchObject({ status: 'current', familyId: first.familyId })
    })

    it('a wrong secret hash is invalid and changes nothing', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const first = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      const before = await harness().store.find(idOf(first.refreshToken))
      const outcome = await harness().store.rotate({
        tokenId: idOf(first.refreshToken), secretHash: await sha256('not-the-secret'), now: clock.now(), graceMs: 10_000,
        concurrentSince: clock.now(), successor: await successorOf(first.familyId, clock.now()), sealedSuccessor: 'v1.sealed', idleExpiresAt: clock.now() + day,
      })
      expect(outcome).toEqual({ kind: 'invalid' })
      expect(await harness().store.find(idOf(first.refreshToken))).toEqual(before)
      expect(await codeOf(refresh.rotate(`${idOf(first.refreshToken)}.${'A'.repeat(43)}`))).toBe('ERR_REFRESH_TOKEN_INVALID')
    })

    it('of 50 concurrent rotate calls on the store, exactly one rotates; the others get its sealed successor', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const first = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      const { id, secret } = parseRefreshToken(first.refreshToken)!
      const secretHash = await sha256(secret)
      const now = clock.now()
      const successors = await Promise.all(Array.from({ length: 50 }, () => successorOf(first.familyId, now)))
      const stores = [harness().store, await harness().another()]
      const outcomes = await Promise.all(
        successors.map((successor, i) =>
          stores[i % 2]!.rotate({
            tokenId: id, secretHash, now, graceMs: 10_000, concurrentSince: now, successor,
            sealedSuccessor: `v1.sealed-for-${i}`, idleExpiresAt: now + day,
          }),
        ),
      )
      const winners = outcomes.flatMap((outcome, i) => (outcome.kind === 'rotated' ? [i] : []))
      expect(winners).toHaveLength(1)
      const winner = winners[0]!
      for (const [i, outcome] of outcomes.entries()) {
        if (i !== winner) expect(outcome).toMatchObject({ kind: 'replayed', sealedSuccessor: `v1.sealed-for-${winner}` })
      }
      expect((await harness().store.find(id))?.family.currentTokenId).toBe(successors[winner]!.id)
      const stored = await Promise.all(successors.map((successor) => harness().store.find(successor.id)))
      expect(stored.filter((found) => found !== null)).toHaveLength(1)
    })

    it('50 concurrent rotations of one token through two instances give one successor and no reuse', async () => {
      const clock = createTestClock()
      const { families: a, audit, accessTokens } = await families(clock)
      const b = createRefreshFamilies({ store: await harness().another(), accessTokens, clock, audit })
      const first = await a.issue({ sub: newUser(), sid: 's', roles: [] })
      const settled = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => (i % 2 ? b : a).rotate(first.refreshToken)))
      expect(settled.filter((result) => result.status === 'rejected')).toEqual([])
      const tokens = new Set(settled.map((result) => (result as PromiseFulfilledResult<{ refreshToken: string }>).value.refreshToken))
      expect(tokens.size).toBe(1)
      expect(audit.ofType('REFRESH_TOKEN_REUSE')).toHaveLength(0)
      await expect(b.rotate([...tokens][0]!)).resolves.toMatchObject({ familyId: first.familyId })
    })

    it('replays the same successor within the grace window; after it, reuse revokes the whole family', async () => {
      const clock = createTestClock()
      const { families: refresh, audit } = await families(clock)
      const first = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      const second = await refresh.rotate(first.refreshToken)
      clock.advance(5_000)
      expect(await refresh.rotate(first.refreshToken)).toEqual(second)
      clock.advance(5_001)
      expect(await codeOf(refresh.rotate(first.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
      expect(await codeOf(refresh.rotate(second.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
      expect((await harness().store.find(idOf(second.refreshToken)))?.family).toMatchObject({ status: 'revoked', revokedAt: clock.now(), revokedReason: 'reuse' })
      expect(audit.ofType('REFRESH_FAMILY_REVOKED')).toHaveLength(1)
    })

    it('expires an idle family, and any family at its absolute lifetime, by the caller’s clock', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock, { expiry: { idleSeconds: 3600, absoluteSeconds: 3 * 3600 } })
      const idle = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      let busy = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      for (let i = 0; i < 5; i++) {
        clock.advance(30 * 60_000)
        busy = await refresh.rotate(busy.refreshToken)
      }
      expect(await codeOf(refresh.rotate(idle.refreshToken))).toBe('ERR_REFRESH_TOKEN_EXPIRED')
      clock.advance(30 * 60_000) // 3 h since the start: the absolute lifetime ends whatever the use
      expect(await codeOf(refresh.rotate(busy.refreshToken))).toBe('ERR_REFRESH_TOKEN_EXPIRED')
    })

    it('revokes one family once (one winner among concurrent revokes), and every live family of one user only', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const userId = newUser()
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => refresh.issue({ sub: userId, sid: 's', roles: [] })))
      const bystander = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      const { store } = harness()
      const other = await harness().another()
      const revokes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).revokeFamily(a!.familyId, clock.now(), 'test')))
      expect(revokes.filter((family) => family !== null)).toEqual([expect.objectContaining({ id: a!.familyId, status: 'revoked', revokedReason: 'test' })])
      expect(await store.revokeFamily('no-such-family-id-0000000000000', clock.now(), 'test')).toBeNull()
      const all = await store.revokeAllForUser(userId, clock.now(), 'user')
      expect(all.map((family) => family.id).sort()).toEqual([b!.familyId, c!.familyId].sort())
      expect(await store.revokeAllForUser(userId, clock.now(), 'user')).toEqual([])
      for (const issued of [a!, b!, c!]) expect(await codeOf(refresh.rotate(issued.refreshToken))).toBe('ERR_REFRESH_TOKEN_REUSED')
      await expect(refresh.rotate(bystander.refreshToken)).resolves.toMatchObject({ familyId: bystander.familyId })
    })

    it('rewrites the roles of every live family of one user only, atomically; the next rotation mints with them', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const userId = newUser()
      const [a, revoked, c] = await Promise.all([1, 2, 3].map(() => refresh.issue({ sub: userId, sid: 's', roles: ['admin'], scope: 'notes' })))
      const bystander = await refresh.issue({ sub: newUser(), sid: 's', roles: ['admin'] })
      const { store } = harness()
      await store.revokeFamily(revoked!.familyId, clock.now(), 'test')
      expect(await store.updateRolesForUser(userId, ['member'], clock.now())).toBe(2)
      expect((await store.find(idOf(a!.refreshToken)))?.family.grant).toEqual({ roles: ['member'], scope: 'notes' })
      expect((await store.find(idOf(revoked!.refreshToken)))?.family.grant.roles).toEqual(['admin'])
      expect((await store.find(idOf(bystander.refreshToken)))?.family.grant.roles).toEqual(['admin'])
      // An empty list stays a list; a family past its expiry is left alone.
      expect(await (await harness().another()).updateRolesForUser(userId, [], clock.now())).toBe(2)
      expect((await store.find(idOf(c!.refreshToken)))?.family.grant.roles).toEqual([])
      clock.advance(15 * day)
      expect(await store.updateRolesForUser(userId, ['admin'], clock.now())).toBe(0)
      expect((await store.find(idOf(c!.refreshToken)))?.family.grant.roles).toEqual([])
      expect(await store.updateRolesForUser(newUser(), ['admin'], clock.now())).toBe(0)
    })

    it('rotation mints access tokens with the updated roles', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const userId = newUser()
      const first = await refresh.issue({ sub: userId, sid: 's', roles: ['admin'] })
      await harness().store.updateRolesForUser(userId, ['member'], clock.now())
      const next = await refresh.rotate(first.refreshToken)
      const payload = JSON.parse(Buffer.from(next.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { roles: string[] }
      expect(payload.roles).toEqual(['member'])
    })

    it('locks: one holder, released only by its token, free again after the TTL', async () => {
      const { families: refresh } = await families(createTestClock())
      const { refreshToken } = await refresh.issue({ sub: newUser(), sid: 's', roles: [] })
      await expectLockContract(harness().store, await harness().another(), idOf(refreshToken))
    })

    it('stores no refresh secret and no access token: only hashes and sealed successors', async () => {
      const clock = createTestClock()
      const { families: refresh } = await families(clock)
      const first = await refresh.issue({ sub: newUser(), sid: 's', roles: ['member'] })
      const second = await refresh.rotate(first.refreshToken)
      const third = await refresh.rotate(second.refreshToken)
      const dump = await harness().dump()
      expect(dump).toContain(first.familyId)
      for (const issued of [first, second, third]) {
        const { secret } = parseRefreshToken(issued.refreshToken)!
        expect(dump).not.toContain(secret)
        expect(dump).not.toContain(issued.accessToken)
        expect(dump).not.toContain(issued.accessToken.split('.')[2])
      }
    })
  })
}

/**
 * A successor record as `createRefreshFamilies` makes one: the token id is the family id plus 16
 * characters (a store may rely on that prefix, e.g. for a Redis Cluster hash slot).
 */
async function successorOf(familyId: string, now: number): Promise<RefreshTokenRecord> {
  return {
    id: `${familyId}${randomToken(12)}`, familyId, secretHash: await sha256(randomToken(32)), status: 'current',
    createdAt: now, rotatedAt: null, successorId: null, sealedSuccessor: null,
  }
}
