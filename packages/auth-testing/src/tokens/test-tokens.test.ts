import { createAccessTokens, createAccessTokenVerifier, createKeyRing, isAuthError, SIGNING_ALGORITHMS } from '@acme/auth-core'
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { createRecordingAuditSink } from '../recording-audit-sink.js'
import { createTestClock } from '../test-clock.js'
import { createTestKeyRing, TEST_KEY_SECRET } from '../keys/test-key-ring.js'
import { createTestTokens } from './test-tokens.js'

/** The AuthError code (and claim, for ERR_JWT_CLAIM) a verification fails with, or 'ok'. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => {
      if (!isAuthError(error)) return `not an AuthError: ${String(error)}`
      const claim = (error as { claim?: string }).claim
      return claim ? `${error.code} ${claim}` : error.code
    },
  )

describe('createTestKeyRing', () => {
  it('is ready to sign with one active key, and shares its store with a second ring on TEST_KEY_SECRET', async () => {
    const clock = createTestClock()
    const audit = createRecordingAuditSink()
    const keyRing = await createTestKeyRing({ clock, audit })
    expect((await keyRing.list()).map((key) => [key.alg, key.status])).toEqual([['EdDSA', 'active']])
    expect(audit.events).toEqual([]) // the history that made the removed key is not the caller's
    const other = createKeyRing({ store: keyRing.store, secret: TEST_KEY_SECRET, clock })
    expect(await other.jwks()).toEqual(await keyRing.jwks())
    const tokens = createAccessTokens({ keyRing: other, issuer: 'https://app.example.com', audience: 'api', clock })
    const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.example.com', audience: 'api', clock })
    const { token } = await tokens.issue({ sub: 'u1', sid: 's1', roles: [] })
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u1' })
  })

  it('holds a removed key that the ring no longer publishes', async () => {
    const keyRing = await createTestKeyRing()
    const { keys } = await keyRing.jwks()
    expect(keys.map((key) => key.kid)).not.toContain(keyRing.removedKey.kid)
    expect(await keyRing.verificationKey(keyRing.removedKey.kid)).toBeNull()
  })
})

describe('createTestTokens', () => {
  it.each(SIGNING_ALGORITHMS)('signs a token that core verifies (%s)', async (alg) => {
    const clock = createTestClock()
    const keyRing = await createTestKeyRing({ alg, clock })
    const tokens = createTestTokens(keyRing, { audience: 'notes-api' })
    const token = await tokens.sign({ sub: 'alice', roles: ['admin'], scope: 'notes:read' })
    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: (await keyRing.signingKey()).kid, typ: 'at+jwt' })
    const now = clock.now() / 1000
    expect(await tokens.verifier().verify(token)).toMatchObject({
      iss: 'https://app.example.com', aud: 'notes-api', sub: 'alice', sid: 'test-session', roles: ['admin'], scope: 'notes:read',
      iat: now, nbf: now, exp: now + 600,
    })
    // A verifier built by hand from the same settings agrees.
    const own = createAccessTokenVerifier({ keyRing, issuer: tokens.issuer, audience: 'notes-api', clock })
    expect(await outcome(own.verify(token))).toBe('ok')
  })

  it.each([
    ['expired', 'ERR_JWT_EXPIRED', -3600_000 - 600_000],
    ['notYetValid', 'ERR_JWT_NOT_YET_VALID', 3600_000],
    ['wrongAudience', 'ERR_JWT_CLAIM aud', undefined],
    ['unknownKid', 'ERR_JWKS_NO_MATCHING_KEY', undefined],
    ['signedByRemovedKey', 'ERR_JWKS_NO_MATCHING_KEY', undefined],
  ] as const)('%s() fails core’s verifier with %s', async (variant, expected, validAtOffsetMs) => {
    const clock = createTestClock()
    const tokens = createTestTokens(await createTestKeyRing({ clock }))
    const token = await tokens[variant]({ sub: 'mallory' })
    expect(await outcome(tokens.verifier().verify(token))).toBe(expected)
    if (validAtOffsetMs !== undefined) {
      // Only the time is wrong: at the time it was made for, the same token verifies.
      clock.set(clock.now() + validAtOffsetMs)
      expect(await outcome(tokens.verifier().verify(token))).toBe('ok')
    }
  })

  it('leaves out claims set to undefined and takes header changes', async () => {
    const tokens = createTestTokens(await createTestKeyRing({ clock: createTestClock() }))
    expect(await outcome(tokens.verifier().verify(await tokens.sign({ sid: undefined })))).toBe('ERR_JWT_CLAIM sid')
    expect(await outcome(tokens.verifier().verify(await tokens.sign({}, { typ: 'JWT' })))).toBe('ERR_JWT_CLAIM typ')
    expect(await outcome(tokens.verifier().verify(await tokens.sign({ iss: 'https://evil.example' })))).toBe('ERR_JWT_CLAIM iss')
  })
})
