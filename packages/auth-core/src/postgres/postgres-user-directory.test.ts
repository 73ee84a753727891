import { createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PostgresUserDirectory } from './postgres-user-directory.js'

let db: TestPostgresSchema
let now = Date.UTC(2030, 0, 1)
let users: PostgresUserDirectory
beforeAll(async () => {
  db = await createTestPostgresSchema({ pool: { max: 20 } })
})
beforeEach(async () => {
  await db.clear()
  users = new PostgresUserDirectory({ pool: db.pool, schema: db.schema, now: () => now })
})
afterAll(async () => {
  await db.close()
})

const ada = { email: 'Ada@Example.com', name: 'Ada', passwordHash: '$scrypt$ada', emailVerified: false }

describe('PostgresUserDirectory', () => {
  it('creates a user with a password, finds them by normalised email and id, and refuses a taken address', async () => {
    const created = await users.create(ada)
    expect(created).toMatchObject({ email: 'ada@example.com', name: 'Ada', roles: ['member'], passwordHash: '$scrypt$ada', emailVerified: false, passwordSetAt: now })
    expect(await users.findByEmail('ADA@example.com')).toEqual(created)
    expect(await users.findById(created!.id)).toEqual(created)
    expect(await users.create({ ...ada, email: 'ada@EXAMPLE.com ' })).toBeNull()
    expect(await users.findByEmail('nobody@example.com')).toBeNull()
    const provider = await users.create({ email: 'sso@example.com', name: 'S', passwordHash: null, emailVerified: true, roles: ['admin'] })
    expect(provider).toMatchObject({ passwordHash: null, passwordSetAt: null, emailVerified: true, roles: ['admin'] })
  })

  it('of 30 concurrent sign-ups for one address exactly one creates the user', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => users.create({ ...ada, name: `Ada ${i}` })))
    expect(results.filter((result) => result !== null)).toHaveLength(1)
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".users`)
    expect(rows).toEqual([{ n: 1 }])
    const hashes = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".password_hashes`)
    expect(hashes.rows).toEqual([{ n: 1 }])
  })

  it('marks the address verified only while it is still the user’s', async () => {
    const user = (await users.create(ada))!
    await db.pool.query(`UPDATE "${db.schema}".users SET email = 'ada2@example.com' WHERE id = $1`, [user.id])
    await users.markEmailVerified(user.id, 'ada@example.com')
    expect((await users.findById(user.id))?.emailVerified).toBe(false)
    await users.markEmailVerified(user.id, 'ADA2@example.com')
    expect((await users.findById(user.id))?.emailVerified).toBe(true)
  })

  it('sets, re-hashes and removes the password; a re-hash keeps when it was set', async () => {
    const user = (await users.create(ada))!
    now += 1000
    await users.setPasswordHash(user.id, '$scrypt$new')
    expect(await users.findById(user.id)).toMatchObject({ passwordHash: '$scrypt$new', passwordSetAt: now })
    const setAt = now
    now += 1000
    await users.updatePasswordHash(user.id, '$argon2id$same')
    expect(await users.findById(user.id)).toMatchObject({ passwordHash: '$argon2id$same', passwordSetAt: setAt })
    await users.setPasswordHash(user.id, null)
    expect(await users.findById(user.id)).toMatchObject({ passwordHash: null, passwordSetAt: null })
    await users.setPasswordHash('u-nobody', '$scrypt$x') // no such user: nothing written, no error
    expect(await users.findById('u-nobody')).toBeNull()
  })

  it('links, lists, finds by and unlinks provider accounts; one external account belongs to one user', async () => {
    const user = (await users.create(ada))!
    const other = (await users.create({ ...ada, email: 'bob@example.com' }))!
    expect(await users.linkAccount({ userId: user.id, provider: 'github', subject: '42', email: 'ada@github.example' })).toBe(true)
    expect(await users.linkAccount({ userId: user.id, provider: 'github', subject: '42' })).toBe(true) // already: still true
    expect(await users.linkAccount({ userId: other.id, provider: 'github', subject: '42' })).toBe(false)
    expect(await users.linkAccount({ userId: 'u-gone', provider: 'corp', subject: '1' })).toBe(false)
    now += 5
    expect(await users.linkAccount({ userId: user.id, provider: 'corp', subject: 'c-1' })).toBe(true)
    expect(await users.listAccounts(user.id)).toEqual([
      { provider: 'github', linkedAt: now - 5 },
      { provider: 'corp', linkedAt: now },
    ])
    expect((await users.findByLinkedAccount('github', '42'))?.id).toBe(user.id)
    expect(await users.unlinkAccount(user.id, 'github')).toBe(true)
    expect(await users.unlinkAccount(user.id, 'github')).toBe(false)
    expect(await users.findByLinkedAccount('github', '42')).toBeNull()
    expect(await users.listAccounts(other.id)).toEqual([])
  })

  it('delete takes the linked accounts and the password hash with the user', async () => {
    const user = (await users.create(ada))!
    await users.linkAccount({ userId: user.id, provider: 'github', subject: '42' })
    await users.delete(user.id)
    expect(await users.findById(user.id)).toBeNull()
    for (const table of ['users', 'linked_accounts', 'password_hashes']) {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".${table}`)
      expect(rows).toEqual([{ n: 0 }])
    }
    expect(await users.create(ada)).not.toBeNull() // the address is free again
  })

  it('seeds fixed accounts idempotently, restoring roles and password, and lists users', async () => {
    const alice = { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], passwordHash: '$scrypt$a' }
    await users.seed(alice)
    await users.setPasswordHash('u-alice', '$scrypt$changed')
    await db.pool.query(`UPDATE "${db.schema}".users SET roles = '{member}' WHERE id = 'u-alice'`)
    await users.seed({ ...alice, passwordHash: '$scrypt$a2' })
    expect(await users.findById('u-alice')).toMatchObject({ email: 'alice@example.com', roles: ['admin'], passwordHash: '$scrypt$a2', emailVerified: true })
    expect((await users.list()).map((user) => user.id)).toEqual(['u-alice'])
  })

  it('refuses bad options with a TypeError', () => {
    expect(() => new PostgresUserDirectory({ pool: db.pool, schema: 'Bad-Name' })).toThrow(TypeError)
    expect(() => new PostgresUserDirectory({ pool: db.pool, timeoutMs: 0 })).toThrow(TypeError)
    expect(() => new PostgresUserDirectory({ pool: {} as never })).toThrow(TypeError)
  })
})
