import { createTestClock, createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import type { Pool } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionManager } from '../sessions/session-manager.js'
import type { SessionInvalidation } from '../sessions/session-store.js'
import { PostgresSessionStore } from './postgres-session-store.js'

let db: TestPostgresSchema
beforeAll(async () => {
  db = await createTestPostgresSchema()
})
afterAll(async () => {
  await db.close()
})

let listeners = 0
/** A store as another instance holds it, its listener on a pool we can find in pg_stat_activity. */
function instance(): { store: PostgresSessionStore; name: string } {
  const name = `acme-listener-${process.pid}-${++listeners}`
  const store = new PostgresSessionStore({ pool: db.connect(), schema: db.schema, listenPool: db.connect({ application_name: name, max: 1 }) })
  return { store, name }
}

const terminate = (pool: Pool, applicationName: string) =>
  pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName])

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the condition')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('PostgresSessionStore', () => {
  it('a session revoked through one manager is rejected by a second (own cache, same database) within 100 ms', async () => {
    const a = instance()
    const b = instance()
    const managerA = createSessionManager({ store: a.store, cache: { ttlSeconds: 60 } })
    const managerB = createSessionManager({ store: b.store, cache: { ttlSeconds: 60 } })
    await Promise.all([a.store.ready(), b.store.ready()])
    const { token, session } = await managerA.create('alice')
    expect(await managerB.validate(token)).not.toBeNull() // B has it cached now

    // Prove B answers from its cache: with its store's reads failing, it still validates.
    const get = b.store.get.bind(b.store)
    b.store.get = () => Promise.reject(new Error('B must not read the database here'))
    expect(await managerB.validate(token)).not.toBeNull()
    b.store.get = get

    await managerA.revoke(session.id)
    const revokedAt = performance.now()
    while ((await managerB.validate(token)) !== null) {
      expect(performance.now() - revokedAt).toBeLessThan(100)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(performance.now() - revokedAt).toBeLessThan(100)
    managerA.close()
    managerB.close()
    await Promise.all([a.store.close(), b.store.close()])
  })

  it('rotation, data and revoke-all notices carry the ids; a notice names only what changed', async () => {
    const a = instance()
    const b = instance()
    const heard: SessionInvalidation[] = []
    const unsubscribe = b.store.onInvalidate((invalidation) => heard.push(invalidation))
    await b.store.ready()
    heard.length = 0
    const manager = createSessionManager({ store: a.store })
    const one = await manager.create('bob')
    const two = await manager.create('bob')
    const rotated = await manager.rotate(one.token)
    await until(() => heard.length === 1)
    expect(heard).toEqual([[one.session.id]])
    expect(await manager.revokeAllForUser('bob', { except: two.session.id })).toBe(1)
    await until(() => heard.length === 2)
    expect(heard[1]).toEqual([one.session.id])
    expect(await manager.validate(rotated!.token)).toBeNull()
    unsubscribe()
    await Promise.all([a.store.close(), b.store.close()])
  })

  it('while its listener is down a manager caches nothing, and once it is back it caches again', async () => {
    const a = instance()
    const b = instance()
    const managerA = createSessionManager({ store: a.store })
    const managerB = createSessionManager({ store: b.store, cache: { ttlSeconds: 60 } })
    await b.store.ready()
    const { token, session } = await managerA.create('carol')
    expect(await managerB.validate(token)).not.toBeNull() // cached by B

    await terminate(db.pool, b.name)
    await until(() => !b.store.listening)
    // A notice sent now is lost to B; B must read the database instead of its cache.
    const other = await managerA.create('carol')
    expect(await managerB.validate(other.token)).not.toBeNull()
    await managerA.revoke(other.session.id)
    expect(b.store.listening).toBe(false)
    expect(await managerB.validate(other.token)).toBeNull()
    await managerA.revoke(session.id)
    expect(await managerB.validate(token)).toBeNull()

    await until(() => b.store.listening) // reconnected with backoff
    const third = await managerA.create('carol')
    expect(await managerB.validate(third.token)).not.toBeNull()
    const get = b.store.get.bind(b.store)
    b.store.get = () => Promise.reject(new Error('B must answer from its cache again'))
    expect(await managerB.validate(third.token)).not.toBeNull()
    b.store.get = get
    await managerA.revoke(third.session.id)
    await until(async () => (await managerB.validate(third.token)) === null, 1_000)
    managerB.close()
    await Promise.all([a.store.close(), b.store.close()])
  })

  it('reads never write: validate within the touch interval leaves the row untouched, and an expired row stays for prune()', async () => {
    const { store } = instance()
    const clock = createTestClock()
    const sessions = createSessionManager({ store, clock, expiry: { idleSeconds: 600, absoluteSeconds: 3600, touchIntervalSeconds: 60 } })
    const { token, session } = await sessions.create('dave')
    const version = async () =>
      (await db.pool.query<{ xmin: string }>(`SELECT xmin::text FROM "${db.schema}".sessions WHERE id = $1`, [session.id])).rows[0]?.xmin
    const before = await version()
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000)
      expect(await sessions.validate(token)).not.toBeNull()
    }
    expect(await version()).toBe(before)
    clock.advance(601_000)
    expect(await sessions.validate(token)).toBeNull()
    expect(await store.get(session.id, clock.now())).toBeNull()
    expect(await sessions.listForUser('dave')).toEqual([])
    expect(await version()).toBe(before) // still there, unchanged: only prune() deletes it
    await store.close()
  })
})
