import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createRecordingAuditSink, trackSecrets } from '@acme/auth-testing'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { isAuthError } from '../errors.js'
import { createOfflineBreachedPasswords } from '../passwords/breached-passwords.js'
import { createPasswordPolicy } from '../passwords/password-policy.js'
import { MemoryOneTimeTokenStore } from './one-time-token-store.js'
import { createOneTimeTokens } from './one-time-tokens.js'
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
})
