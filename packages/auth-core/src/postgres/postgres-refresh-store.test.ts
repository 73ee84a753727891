import { createTestClock, createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomToken, sha256 } from '../lib/crypto.js'
import type { RefreshFamilyRecord, RefreshTokenRecord } from '../refresh/refresh-store.js'
import { newFamilyId, newTokenId, userTag } from '../refresh/refresh-token.js'
import { PostgresRefreshStore } from './postgres-refresh-store.js'

let db: TestPostgresSchema
beforeAll(async () => {
  db = await createTestPostgresSchema()
})
afterAll(async () => {
  await db.close()
})

const day = 86_400_000

async function token(familyId: string, now: number): Promise<RefreshTokenRecord> {
  return {
    id: newTokenId(familyId), familyId, secretHash: await sha256(randomToken(32)), status: 'current',
    createdAt: now, rotatedAt: null, successorId: null, sealedSuccessor: null,
  }
}

describe('PostgresRefreshStore', () => {
  it('of 200 concurrent rotate calls on one token from two instances, one rotates and 199 get its successor back', async () => {
    const now = createTestClock().now()
    const familyId = newFamilyId(await userTag('user-200'))
    const first = await token(familyId, now)
    const family: RefreshFamilyRecord = {
      id: familyId, userId: 'user-200', sessionId: 's', grant: { roles: ['member'] }, status: 'active', createdAt: now,
      lastUsedAt: now, idleExpiresAt: now + day, absoluteExpiresAt: now + 30 * day, currentTokenId: first.id, revokedAt: null, revokedReason: null,
    }
    // 200 rotations of one token queue on its row lock behind 10-connection pools: on a loaded CI
    // machine the last ones wait longer than the 2 s default timeout, which is not what this tests.
    const timeoutMs = 20_000
    const stores = [
      new PostgresRefreshStore({ pool: db.pool, schema: db.schema, timeoutMs }),
      new PostgresRefreshStore({ pool: db.connect(), schema: db.schema, timeoutMs }),
    ]
    await stores[0]!.create(family, first)
    const successors = await Promise.all(Array.from({ length: 200 }, () => token(familyId, now)))
    const outcomes = await Promise.all(
      successors.map((successor, i) =>
        stores[i % 2]!.rotate({
          tokenId: first.id, secretHash: first.secretHash, now, graceMs: 0, concurrentSince: now, successor,
          sealedSuccessor: `v1.sealed-for-${i}`, idleExpiresAt: now + 2 * day,
        }),
      ),
    )
    const winners = outcomes.flatMap((outcome, i) => (outcome.kind === 'rotated' ? [i] : []))
    expect(winners).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome.kind === 'replayed')).toHaveLength(199)
    const rows = await db.pool.query<{ id: string; status: string }>(
      `SELECT id, status FROM "${db.schema}".refresh_tokens WHERE family_id = $1 ORDER BY status DESC`,
      [familyId],
    )
    expect(rows.rows).toEqual([{ id: first.id, status: 'rotated' }, { id: successors[winners[0]!]!.id, status: 'current' }])
    expect((await stores[1]!.find(first.id))?.family).toMatchObject({ currentTokenId: successors[winners[0]!]!.id, idleExpiresAt: now + 2 * day })
  }, 60_000)
})
