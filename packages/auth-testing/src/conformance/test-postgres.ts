// For this package's own PostgreSQL conformance runs (not exported): one migrated schema per test
// file, emptied before each test (a new schema per test would cost ~10 times more), and store
// objects on pools of their own for the multi-instance checks.
import type { Pool } from 'pg'
import { afterAll } from 'vitest'
import { createTestPostgresSchema, type TestPostgresSchema } from '../postgres/test-postgres-schema.js'
import type { StoreHarnessSetup } from './store-harness.js'

/**
 * The stores' query timeout in these suites: they check what concurrent callers get (50 rotations
 * of one token queue on its row lock behind a pool of 10), not latency, on a CI machine that runs
 * every package's tests at once. The default (2 s) is tested where timeouts are the subject.
 */
export const conformanceTimeoutMs = 15_000

export function postgresHarness<Store>(make: (pool: Pool, schema: string) => Store): StoreHarnessSetup<Store> {
  let shared: Promise<TestPostgresSchema> | undefined
  afterAll(async () => {
    if (shared) await (await shared).close()
  })
  return async () => {
    const db = await (shared ??= createTestPostgresSchema())
    await db.clear()
    const pools: Pool[] = []
    return {
      store: make(db.pool, db.schema),
      dump: () => db.dump(),
      another() {
        const pool = db.connect()
        pools.push(pool)
        return make(pool, db.schema)
      },
      async close() {
        await Promise.all(pools.map((pool) => pool.end()))
      },
    }
  }
}
