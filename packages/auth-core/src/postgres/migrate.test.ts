import { createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, runMigrations } from './migrate.js'
import { migrations } from './migrations/index.js'

let db: TestPostgresSchema | undefined
afterEach(async () => {
  await db?.close()
  db = undefined
})

const tablesOf = async (schema: TestPostgresSchema) =>
  (
    await schema.pool.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema.schema],
    )
  ).rows.map((row) => row.name)

describe('migrate', () => {
  it('creates every table, records the version, and a second run applies nothing', async () => {
    db = await createTestPostgresSchema({ migrate: false })
    expect(await migrate(db.pool, { schema: db.schema })).toEqual({ applied: [1, 2, 3, 4], version: 4 })
    expect(await tablesOf(db)).toEqual([
      'acme_auth_migrations', 'key_ring', 'linked_accounts', 'one_time_tokens', 'passkeys', 'password_hashes', 'pending_mfa',
      'rate_limits', 'recovery_codes', 'refresh_families', 'refresh_tokens', 'sessions', 'signing_keys', 'store_locks',
      'totp_factors', 'trusted_devices', 'users',
    ])
    expect(await migrate(db.pool, { schema: db.schema })).toEqual({ applied: [], version: 4 })
    const recorded = await db.pool.query(`SELECT version, name FROM "${db.schema}".acme_auth_migrations ORDER BY version`)
    expect(recorded.rows).toEqual([{ version: 1, name: 'init' }, { version: 2, name: 'second-factors' }, { version: 3, name: 'user-directory' }, { version: 4, name: 'trusted-devices' }])
  })

  it('two instances migrating at once both succeed, and exactly one applies', async () => {
    db = await createTestPostgresSchema({ migrate: false })
    await db.pool.query(`DROP SCHEMA "${db.schema}"`) // neither finds the schema
    const results = await Promise.all([migrate(db.pool, { schema: db.schema }), migrate(db.connect(), { schema: db.schema })])
    expect(results.map((result) => result.applied).sort()).toEqual([[], [1, 2, 3, 4]])
    expect(results.every((result) => result.version === 4)).toBe(true)
  })

  it('applies only what is pending, in order, and a failing migration leaves nothing behind', async () => {
    db = await createTestPostgresSchema({ migrate: false })
    const second = { version: 5, name: 'notes', sql: 'CREATE TABLE notes (id text PRIMARY KEY)' }
    const broken = { version: 6, name: 'broken', sql: 'CREATE TABLE half (id text); SELECT no_such_function()' }
    await migrate(db.pool, { schema: db.schema })
    await expect(runMigrations(db.pool, db.schema, [...migrations, broken, second])).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    expect(await tablesOf(db)).not.toContain('notes') // 5 ran before 6 failed, and was rolled back with it
    expect(await tablesOf(db)).not.toContain('half')
    expect(await runMigrations(db.pool, db.schema, [second, ...migrations])).toEqual({ applied: [5], version: 5 })
  })

  it('refuses a schema name that is not a plain identifier', async () => {
    db = await createTestPostgresSchema({ migrate: false })
    for (const schema of ['Public', 'a-b', 'x"; DROP TABLE users; --', '', 'a'.repeat(41)]) {
      await expect(migrate(db.pool, { schema })).rejects.toThrow(TypeError)
    }
  })
})
