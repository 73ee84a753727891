import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createRecordingAuditSink, trackSecrets } from '@acme/auth-testing'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { isAuthError } from '../errors.js'
import { createOfflineBreachedPasswords } from '../passwords/breached-passwords.js'
import { createPasswordPolicy } from '../passwords/password-policy.js'
import { MemoryOneTimeTokenStore } from './one-time-token-store.js'
import { createOneTimeTokens } from './one-time-tokens.js'
import { createKeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { MemoryRefreshStore } from '../refresh/memory-refresh-store.js'
import { createRefreshFamilies } from '../refresh/refresh-families.js'
import { MemorySessionStore } from '../sessions/memory-session-store.js'
import { createSessionManager } from '../sessions/session-manager.js'
import { createAccessTokens } from '../tokens/access-tokens.js'
import { createPasswordReset, type PasswordResetRevokers } from './password-reset.js'

const newPassword = 'a brand new passphrase'
trackSecrets(newPassword)

function setup(revokers?: PasswordResetRevokers) {
  const clock = createTestClock()
  const audit = createRecordingAuditSink()
  const saved = new Map<string, string>()
  const revoked: string[] = []
  const hasher = createArgon2idHasher({ memoryCost: 1024, timeCost: 1 })
  const reset = createPasswordReset({
    tokens: createOneTimeTokens({ store: new MemoryOneTimeTokenStore(), clock }),
    passwords: {
      hasher,
      policy: createPasswordPolicy({ breached: createOfflineBreachedPasswords() }),
      save: (userId, hash) => Promise.resolve(void saved.set(userId, hash)),
    },
    revokers: revokers ?? {
      revokeSessionsForUser: (id) => Promise.resolve(revoked.push(`sessions:${id}`)),
      revokeRefreshFamiliesForUser: (id) => Promise.resolve(revoked.push(`families:${id}`)),
    },
    audit,
    clock,
  })
  return { reset, saved, revoked, audit, hasher, clock }
}

describe('createPasswordReset', () => {
  it('sets the new password, revokes sessions and refresh families, and audits with a fingerprint only', async () => {
    const { reset, saved, revoked, audit, hasher } = setup()
    const { token } = await reset.request('alice', { requestId: 'req-1' })
    trackSecrets(token)
    expect(await reset.complete(token, newPassword)).toEqual({ userId: 'alice' })
    expect(await hasher.verify(saved.get('alice')!, newPassword)).toBe(true)
    expect(revoked).toEqual(['sessions:alice', 'families:alice'])
    const [requested, completed] = audit.events
    expect(requested).toMatchObject({ type: 'PASSWORD_RESET_REQUESTED', userId: 'alice', requestId: 'req-1' })
    expect(requested!.tokenFingerprint).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(completed).toMatchObject({ type: 'PASSWORD_RESET_COMPLETED', outcome: 'success', tokenFingerprint: requested!.tokenFingerprint })
    await expect(reset.complete(token, newPassword)).rejects.toSatisfy((e) => isAuthError(e, 'ERR_ONE_TIME_TOKEN_INVALID'))
  })

  it('a refused password does not use the token up', async () => {
    const { reset, saved } = setup()
    const { token } = await reset.request('bob')
    trackSecrets(token)
    await expect(reset.complete(token, 'password123')).rejects.toSatisfy((e) => isAuthError(e, 'ERR_PASSWORD_POLICY'))
    expect(saved.size).toBe(0)
    expect(await reset.complete(token, newPassword)).toEqual({ userId: 'bob' })
  })

  it('revocation is configurable (false keeps other sign-ins) and expired links fail', async () => {
    const { reset, clock } = setup(false)
    const { token } = await reset.request('carol')
    trackSecrets(token)
    clock.advance(15 * 60_000)
    await expect(reset.complete(token, newPassword)).rejects.toSatisfy((e) => isAuthError(e, 'ERR_ONE_TIME_TOKEN_INVALID'))
    expect(() => createPasswordReset({ tokens: {} as never, passwords: {} as never })).toThrow(/options\.tokens/)
  })

  it('with defaults, ends every session and every refresh-token family of the user, and nobody else’s', async () => {
    const clock = createTestClock()
    const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
    const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'key-ring-secret-that-is-long-enough-0123456789', clock })
    const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
    const refreshFamilies = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, clock })
    const audit = createRecordingAuditSink()
    const reset = createPasswordReset({
      tokens: createOneTimeTokens({ store: new MemoryOneTimeTokenStore(), clock }),
      passwords: { hasher: createArgon2idHasher({ memoryCost: 1024, timeCost: 1 }), save: () => Promise.resolve() },
      sessions,
      refreshFamilies,
      audit,
      clock,
    })
    const phone = await sessions.create('dave')
    const laptop = await sessions.create('dave')
    const other = await sessions.create('erin')
    const daveFamily = await refreshFamilies.issue({ sub: 'dave', sid: phone.session.id, roles: [] })
    const erinFamily = await refreshFamilies.issue({ sub: 'erin', sid: other.session.id, roles: [] })
    const { token } = await reset.request('dave')
    trackSecrets(token, phone.token, laptop.token, other.token, daveFamily.refreshToken, erinFamily.refreshToken)
    await reset.complete(token, newPassword)
    expect(await sessions.validate(phone.token)).toBeNull()
    expect(await sessions.validate(laptop.token)).toBeNull()
    expect(await sessions.listForUser('dave')).toEqual([])
    expect(await sessions.validate(other.token)).not.toBeNull()
    await expect(refreshFamilies.rotate(daveFamily.refreshToken)).rejects.toSatisfy((e) => isAuthError(e))
    expect(await refreshFamilies.rotate(erinFamily.refreshToken)).toMatchObject({ refreshToken: expect.any(String) as string })
    expect(audit.ofType('PASSWORD_RESET_COMPLETED')[0]).toMatchObject({ data: { sessionsRevoked: true, refreshFamiliesRevoked: true } })
  })

  it('refuses to be built without saying what to revoke; false opts out, explicitly', () => {
    const base = {
      tokens: createOneTimeTokens({ store: new MemoryOneTimeTokenStore() }),
      passwords: { hasher: createArgon2idHasher({ memoryCost: 1024, timeCost: 1 }), save: () => Promise.resolve() },
    }
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    expect(() => createPasswordReset(base)).toThrow(/options\.sessions is required/)
    expect(() => createPasswordReset({ ...base, revokers: {} })).toThrow(/options\.sessions is required/)
    expect(() => createPasswordReset({ ...base, sessions })).toThrow(/options\.refreshFamilies is required/)
    expect(() => createPasswordReset({ ...base, sessions, refreshFamilies: {} as never })).toThrow(/options\.refreshFamilies\.revokeAllForUser/)
    expect(() => createPasswordReset({ ...base, sessions, refreshFamilies: false })).not.toThrow()
    expect(() => createPasswordReset({ ...base, revokers: false })).not.toThrow()
  })

  it('refreshFamilies: false still ends every session', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const tokens = createOneTimeTokens({ store: new MemoryOneTimeTokenStore() })
    const reset = createPasswordReset({
      tokens,
      passwords: { hasher: createArgon2idHasher({ memoryCost: 1024, timeCost: 1 }), save: () => Promise.resolve() },
      sessions,
      refreshFamilies: false,
    })
    const signedIn = await sessions.create('frank')
    const { token } = await reset.request('frank')
    trackSecrets(token, signedIn.token)
    await reset.complete(token, newPassword)
    expect(await sessions.validate(signedIn.token)).toBeNull()
  })
})
