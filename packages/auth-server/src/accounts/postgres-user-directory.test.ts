// The account routes as they are, on core's PostgreSQL user directory in a real PostgreSQL (a
// schema of this file's own, dropped after): sign-up, verification, reset, change, linked
// accounts, deletion, and concurrent sign-ups for one address.
import { PostgresUserDirectory } from '@acme/auth-core/postgres'
import { createTestPostgresSchema, trackSecrets, type TestPostgresSchema } from '@acme/auth-testing'
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import { createAccountsApp, tokenOf } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'
import type { UserDirectory } from '../core/user-directory.js'

const newPassword = 'a long new passphrase'
trackSecrets(newPassword)

let db: TestPostgresSchema
beforeAll(async () => {
  db = await createTestPostgresSchema({ pool: { max: 20 } })
})
beforeEach(async () => {
  await db.clear()
})
afterAll(async () => {
  await db.close()
})

/** The account routes' app on the PostgreSQL directory, seeded with Alice and Bob. */
const createApp = (options: Parameters<typeof createAccountsApp>[0] = {}) =>
  createAccountsApp({
    ...options,
    users: async (seed) => {
      const users = new PostgresUserDirectory({ pool: db.pool, schema: db.schema })
      for (const account of seed) await users.seed(account)
      return users
    },
  })

const count = async (table: string, where = 'true', values: unknown[] = []) =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}".${table} WHERE ${where}`, values)).rows[0]!.n

describe('PostgresUserDirectory as the account routes’ directory', () => {
  it('is a complete UserDirectory (every optional method)', () => {
    expectTypeOf<PostgresUserDirectory>().toExtend<Required<UserDirectory>>()
  })

  it('signs up (202, a row waiting for verification), refuses the password sign-in until the link is used, which signs in', async () => {
    const kit = await createApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    expect((await client.post('/auth/signup', { email: 'Ada@Example.com', password: newPassword, name: 'Ada' })).status).toBe(202)
    const token = tokenOf(await kit.mailTo('ada@example.com'))
    expect(await kit.users.findByEmail('ada@example.com')).toMatchObject({ name: 'Ada', emailVerified: false, roles: ['member'] })
    expect((await browser(kit.app).login('ada@example.com', newPassword)).status).toBe(403)

    const verify = await client.post('/auth/email/verify', { token })
    expect(verify.status).toBe(200)
    expect(verify.body).toMatchObject({ user: { email: 'ada@example.com', name: 'Ada', roles: ['member'] } })
    expect(await count('users', 'email = $1 AND email_verified_at IS NOT NULL', ['ada@example.com'])).toBe(1)
    expect((await browser(kit.app).login('ada@example.com', newPassword)).status).toBe(200)
    // An existing address: the same 202, and the account is untouched.
    const other = browser(kit.app)
    await other.fetchCsrf()
    expect((await other.post('/auth/signup', { email: 'alice@example.com', password: newPassword, name: 'Mallory' })).status).toBe(202)
    expect(await kit.users.findById('u-alice')).toMatchObject({ name: 'Alice', roles: ['admin'] })
  })

  it('verification off: 201 with a session; of 12 concurrent sign-ups for one new address exactly one gets 201, the others 409', async () => {
    const kit = await createApp({ verification: 'off' })
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = browser(kit.app)
        await client.fetchCsrf()
        return client
      }),
    )
    const answers = await Promise.all(clients.map((client, i) => client.post('/auth/signup', { email: 'zed@example.com', password: newPassword, name: `Zed ${i}` })))
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array.from({ length: 11 }, () => 409)])
    expect(await count('users', 'email = $1', ['zed@example.com'])).toBe(1)
    expect(await count('password_hashes')).toBe(3) // Alice, Bob, Zed
  })

  it('resets a forgotten password and changes it: the old one stops working, the new one signs in', async () => {
    const kit = await createApp()
    const client = browser(kit.app)
    await client.fetchCsrf()
    expect((await client.post('/auth/password/forgot', { email: 'ALICE@example.com' })).status).toBe(202)
    const token = tokenOf(await kit.mailTo('alice@example.com', /reset/i))
    expect((await client.post('/auth/password/reset', { token, password: newPassword })).status).toBe(204)
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)

    const signedIn = browser(kit.app)
    expect((await signedIn.login('alice@example.com', newPassword)).status).toBe(200)
    const changed = 'another long passphrase'
    trackSecrets(changed)
    expect((await signedIn.post('/auth/password', { currentPassword: newPassword, newPassword: changed })).status).toBe(204)
    expect((await browser(kit.app).login('alice@example.com', newPassword)).status).toBe(401)
    expect((await browser(kit.app).login('alice@example.com', changed)).status).toBe(200)
  })

  it('lists and unlinks providers linked through linkAccount; unlinking the password leaves the provider only', async () => {
    const kit = await createApp()
    expect(await kit.users.linkAccount({ userId: 'u-bob', provider: 'corp', subject: 'bob-at-corp' })).toBe(true)
    expect(await kit.users.linkAccount({ userId: 'u-bob', provider: 'github', subject: '4242' })).toBe(true)
    const client = browser(kit.app)
    await client.login('bob@example.com', 'bob-password')
    const listed = await client.get('/auth/accounts')
    expect(listed.status).toBe(200)
    expect((listed.body as { provider: string }[]).map((account) => account.provider)).toEqual(['password', 'corp', 'github'])
    expect((await client.delete('/auth/accounts/github')).status).toBe(204)
    expect((await client.delete('/auth/accounts/github')).status).toBe(404)
    expect((await client.delete('/auth/accounts/password')).status).toBe(204)
    expect(await count('password_hashes', 'user_id = $1', ['u-bob'])).toBe(0)
    expect((await browser(kit.app).login('bob@example.com', 'bob-password')).status).toBe(401)
    expect((await client.delete('/auth/accounts/corp')).status).toBe(409) // the last way in
    expect((await kit.users.findByLinkedAccount('corp', 'bob-at-corp'))?.id).toBe('u-bob')
  })

  it('deletes the account with the password: the row, its linked accounts and its hash are gone', async () => {
    const kit = await createApp()
    await kit.users.linkAccount({ userId: 'u-alice', provider: 'github', subject: '1' })
    const client = browser(kit.app)
    await client.login('alice@example.com', 'alice-password')
    expect((await client.raw('delete', '/auth/account').send({ password: 'wrong-password' })).status).toBe(401)
    expect((await client.raw('delete', '/auth/account').send({ password: 'alice-password' })).status).toBe(204)
    expect(await count('users', 'id = $1', ['u-alice'])).toBe(0)
    expect(await count('linked_accounts')).toBe(0)
    expect(await count('password_hashes', 'user_id = $1', ['u-alice'])).toBe(0)
    expect((await browser(kit.app).login('alice@example.com', 'alice-password')).status).toBe(401)
    expect(await count('users', 'id = $1', ['u-bob'])).toBe(1)
  })
})
