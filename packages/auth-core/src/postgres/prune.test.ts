import { createTestClock, createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createPostgresRateLimitStore } from './postgres-rate-limit-store.js'
import { PostgresKeyStore } from './postgres-key-store.js'
import { PostgresOneTimeTokenStore } from './postgres-one-time-token-store.js'
import { PostgresRefreshStore } from './postgres-refresh-store.js'
import { PostgresSecondFactorStore } from './postgres-second-factor-store.js'
import { PostgresSessionStore } from './postgres-session-store.js'
import { prune } from './prune.js'
import type { RefreshFamilyRecord, RefreshTokenRecord } from '../refresh/refresh-store.js'
import type { SessionRecord } from '../sessions/session.js'

let db: TestPostgresSchema | undefined
afterEach(async () => {
  await db?.close()
  db = undefined
})

const minute = 60_000

const session = (id: string, now: number, idleMs: number): SessionRecord => ({
  id, userId: 'u1', secretHash: `hash-${id}`, createdAt: now - minute, lastSeenAt: now - minute, idleExpiresAt: now + idleMs,
  absoluteExpiresAt: now + 60 * minute, authLevel: 'password', authenticatedAt: now - minute, data: {},
})

const family = (id: string, now: number, idleMs: number): RefreshFamilyRecord => ({
  id, userId: 'u1', sessionId: 's', grant: { roles: [] }, status: 'active', createdAt: now - minute, lastUsedAt: now - minute,
  idleExpiresAt: now + idleMs, absoluteExpiresAt: now + 60 * minute, currentTokenId: `${id}-t1`, revokedAt: null, revokedReason: null,
})

const token = (familyId: string, n: number, now: number): RefreshTokenRecord => ({
  id: `${familyId}-t${n}`, familyId, secretHash: `hash-${familyId}-${n}`, status: 'current', createdAt: now - minute,
  rotatedAt: null, successorId: null, sealedSuccessor: null,
})

async function ids(schema: TestPostgresSchema, table: string, column = 'id'): Promise<string[]> {
  const result = await schema.pool.query<{ id: string }>(`SELECT ${column} AS id FROM "${schema.schema}".${table} ORDER BY 1`)
  return result.rows.map((row) => row.id)
}

describe('prune', () => {
  it('deletes expired rows of every table in batches, and nothing live', async () => {
    db = await createTestPostgresSchema()
    const clock = createTestClock()
    const now = clock.now()
    const options = { pool: db.pool, schema: db.schema }
    const sessions = new PostgresSessionStore(options)
    for (const [id, idleMs] of [['s-old-1', 0], ['s-old-2', -minute], ['s-old-3', -2 * minute], ['s-live', 1]] as const) {
      await sessions.create(session(id, now, idleMs), now)
    }
    const refresh = new PostgresRefreshStore(options)
    await refresh.create(family('f-old', now, 0), token('f-old', 1, now))
    await db.pool.query(`INSERT INTO "${db.schema}".refresh_tokens SELECT 'f-old-t2', family_id, 'h', 'current', created_at FROM "${db.schema}".refresh_tokens`)
    await refresh.create(family('f-live', now, minute), token('f-live', 1, now))
    const oneTime = new PostgresOneTimeTokenStore(options)
    await oneTime.save({ id: 'o-old', userId: 'u1', purpose: 'password_reset', secretHash: 'h1', expiresAt: now }, now)
    await oneTime.save({ id: 'o-live', userId: 'u1', purpose: 'password_reset', secretHash: 'h2', expiresAt: now + 1 }, now)
    const factors = new PostgresSecondFactorStore(options)
    const pending = (id: string, expiresAt: number) => ({ id, userId: 'u1', completed: [], methods: ['totp'], authLevel: 'password', attempts: 0, createdAt: now, expiresAt })
    await factors.savePending(pending('p-old', now), now)
    await factors.savePending(pending('p-live', now + 1), now)
    const device = (id: string, expiresAt: number) => ({ id, userId: 'u1', secretHash: 'h', label: 'Firefox on Linux', createdAt: now, expiresAt, lastUsedAt: null })
    await factors.saveTrustedDevice(device('d-old', now), now)
    await factors.saveTrustedDevice(device('d-live', now + 1), now)
    const limits = createPostgresRateLimitStore(options)
    await limits.add('r-old', 1, minute, now - minute, false)
    await limits.add('r-live', 1, minute, now, false)
    await limits.add('r-forever', 1, 0, now - 1_000 * minute, false)
    const keys = new PostgresKeyStore(options)
    expect(await keys.acquireLock('short', 1)).not.toBeNull()
    expect(await keys.acquireLock('long', 60_000)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 20)) // lock TTLs are real time, like Redis's PX

    const result = await prune(db.pool, { schema: db.schema, batchSize: 2, clock })
    expect(result).toEqual({
      ran: true,
      deleted: { sessions: 3, refreshTokens: 2, refreshFamilies: 1, oneTimeTokens: 1, pendingMfa: 1, trustedDevices: 1, rateLimits: 1, locks: 1 },
    })
    expect(await ids(db, 'sessions')).toEqual(['s-live'])
    expect(await ids(db, 'refresh_families')).toEqual(['f-live'])
    expect(await ids(db, 'refresh_tokens')).toEqual(['f-live-t1'])
    expect(await ids(db, 'one_time_tokens')).toEqual(['o-live'])
    expect(await ids(db, 'pending_mfa')).toEqual(['p-live'])
    expect(await ids(db, 'trusted_devices')).toEqual(['d-live'])
    expect(await ids(db, 'rate_limits', 'key')).toEqual(['r-forever', 'r-live'])
    expect(await ids(db, 'store_locks', 'name')).toEqual(['long'])
    expect((await prune(db.pool, { schema: db.schema, clock })).deleted).toEqual({
      sessions: 0, refreshTokens: 0, refreshFamilies: 0, oneTimeTokens: 0, pendingMfa: 0, trustedDevices: 0, rateLimits: 0, locks: 0,
    })
    await sessions.close()
  })

  it('one instance prunes at a time: a second prune while the first runs returns at once, deleting nothing', async () => {
    db = await createTestPostgresSchema()
    const clock = createTestClock()
    const now = clock.now()
    const sessions = new PostgresSessionStore({ pool: db.pool, schema: db.schema })
    await sessions.create(session('held', now, -minute), now)
    await sessions.create(session('other', now, -minute), now)
    // Hold a row lock on an expired row, so the first prune is stuck mid-delete while we look.
    const holder = await db.pool.connect()
    await holder.query('BEGIN')
    await holder.query(`SELECT 1 FROM "${db.schema}".sessions WHERE id = 'held' FOR UPDATE`)
    const first = prune(db.connect(), { schema: db.schema, clock })
    const watcher = db.connect()
    const waiting = () =>
      watcher.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`DELETE FROM "${db!.schema}".sessions%`])
    while ((await waiting()).rowCount === 0) await new Promise((resolve) => setTimeout(resolve, 10))

    const second = await prune(db.connect(), { schema: db.schema, clock })
    expect(second).toMatchObject({ ran: false, deleted: { sessions: 0 } })
    expect(await ids(db, 'sessions')).toEqual(['held', 'other'])
    await holder.query('COMMIT')
    holder.release()
    expect(await first).toMatchObject({ ran: true, deleted: { sessions: 2 } })
    expect(await ids(db, 'sessions')).toEqual([])
    await sessions.close()
  })
})
