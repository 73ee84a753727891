import { createScryptHasher } from '@acme/auth-core/argon2'
import { describe, expect, it } from 'vitest'
import { findSecretsInAuditEvents } from '../recording-audit-sink.js'
import { createTestUserDirectory } from './test-user-directory.js'
import { createTestUser, createTestUsers } from './test-user.js'

describe('createTestUser', () => {
  it('makes unique members whose password verifies against the hash (core’s scrypt)', async () => {
    const [a, b] = await Promise.all([createTestUser(), createTestUser()])
    expect(a).toMatchObject({ roles: ['member'], passwordHash: expect.stringMatching(/^\$scrypt\$ln=10,r=8,p=1\$/) as string })
    expect(a.id).not.toBe(b.id)
    expect(a.email).not.toBe(b.email)
    expect(a.email).toBe(a.email.toLowerCase())
    const hasher = createScryptHasher({ logN: 10 })
    expect(await hasher.verify(a.passwordHash, a.password)).toBe(true)
    expect(await hasher.verify(a.passwordHash, b.password)).toBe(false)
  })

  it('takes overrides and the app’s hasher, and declares the password as a tracked secret', async () => {
    const hasher = createScryptHasher({ logN: 11 })
    const user = await createTestUser({ name: 'Ada', roles: ['admin'], password: 'ada-lovelace-1815' }, { hasher })
    expect(user).toMatchObject({ name: 'Ada', roles: ['admin'], password: 'ada-lovelace-1815' })
    expect(hasher.needsRehash(user.passwordHash)).toBe(false)
    const leaked = findSecretsInAuditEvents([{ type: 'LOGIN_FAILED', outcome: 'failure', at: '', data: { note: 'ada-lovelace-1815' } }])
    expect(leaked.map((finding) => finding.kind)).toEqual(['known_secret'])
  })

  it('createTestUsers: Alice the admin and Bob the member, with fixed credentials', async () => {
    const { alice, bob } = await createTestUsers()
    expect(alice).toMatchObject({ id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], password: 'alice-password' })
    expect(bob).toMatchObject({ id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'], password: 'bob-password' })
  })
})

describe('createTestUserDirectory', () => {
  it('finds by normalised email or id, never handing out the plaintext password', async () => {
    const { alice, bob } = await createTestUsers()
    const users = createTestUserDirectory([alice, bob])
    const found = await users.findByEmail('  ALICE@example.com')
    expect(found).toEqual({ id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], passwordHash: alice.passwordHash })
    expect(found).not.toHaveProperty('password')
    expect(await users.findById('u-bob')).toMatchObject({ email: 'bob@example.com' })
    expect(await users.findById('nobody')).toBeNull()
    expect(await users.findByEmail('nobody@example.com')).toBeNull()
  })

  it('reflects changes made through it and to the users it holds', async () => {
    const { alice, bob } = await createTestUsers()
    const users = createTestUserDirectory([alice])
    await users.updatePasswordHash('u-alice', '$scrypt$new')
    expect(alice.passwordHash).toBe('$scrypt$new')
    alice.roles.push('auditor')
    expect((await users.findById('u-alice'))?.roles).toEqual(['admin', 'auditor'])
    users.add(bob)
    expect(await users.findByEmail('bob@example.com')).not.toBeNull()
    users.users.delete('bob@example.com')
    expect(await users.findById('u-bob')).toBeNull()
  })
})
