import { createTestClock, type TestClock } from '@acme/auth-testing'
import { beforeEach, describe, expect, it } from 'vitest'
import { createKeyRing, type KeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { createAccessTokenVerifier, type AccessTokenVerifier } from './access-token-verifier.js'
import { createAccessTokens, type AccessTokens } from './access-tokens.js'
import { verifyNow } from './verify-now.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const issuer = 'https://app.test'
const grant = { sub: 'u1', sid: 's1', roles: ['member'] }

let clock: TestClock
let store: MemoryKeyStore
let ring: KeyRing
let tokens: AccessTokens

beforeEach(async () => {
  clock = createTestClock()
  store = new MemoryKeyStore()
  ring = createKeyRing({ store, secret, clock, rotation: { refreshSeconds: 15 } })
  await ring.ready()
  tokens = createAccessTokens({ keyRing: ring, issuer, audience: 'api', clock, lifetimeSeconds: 300 })
})

const cachedVerifier = (keyRing: Pick<KeyRing, 'verificationKey'> = ring): AccessTokenVerifier =>
  createAccessTokenVerifier({ keyRing, issuer, audience: 'api', clock, cache: {} })

describe('verifyNow (the per-request token check)', () => {
  it('answers a token verified before at once, with the entry’s claims frozen to the last list; a first sight goes through verify()', async () => {
    const { token } = await tokens.issue({ ...grant, amr: ['pwd'] })
    const verifier = cachedVerifier()
    expect(verifyNow(verifier, token)).toBeUndefined()
    await verifier.verify(token)
    const claims = verifyNow(verifier, token)!
    expect(claims).toMatchObject({ sub: 'u1', sid: 's1', roles: ['member'], amr: ['pwd'] })
    for (const frozen of [claims, claims.roles, claims.amr]) expect(Object.isFrozen(frozen)).toBe(true)
    expect(() => claims.roles.push('admin')).toThrow(TypeError)
    expect(() => claims.amr!.push('otp')).toThrow(TypeError)
    // verify() still hands out a copy whose lists are the caller's own.
    const copy = await verifier.verify(token)
    copy.roles.push('admin')
    copy.amr!.push('otp')
    expect(verifyNow(verifier, token)).toMatchObject({ roles: ['member'], amr: ['pwd'] })
  })

  it('never answers past exp, nor for a tampered token, nor for what cannot be a token', async () => {
    const { token, expiresAt } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    await verifier.verify(token)
    expect(verifyNow(verifier, `${token.slice(0, -2)}AA`)).toBeUndefined()
    for (const junk of [undefined, '', 42, 'x'.repeat(10_000)]) expect(verifyNow(verifier, junk)).toBeUndefined()
    clock.advance(expiresAt - clock.now() - 1)
    // The ring's copy went stale meanwhile (15 s): verify() re-reads it; the entry still answers.
    expect(verifyNow(verifier, token)).toBeUndefined()
    await verifier.verify(token)
    expect(verifyNow(verifier, token)).toBeDefined()
    clock.advance(1)
    expect(verifyNow(verifier, token)).toBeUndefined()
  })

  it('stops answering once the key is removed on this instance, and once another instance’s removal is read', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    await verifier.verify(token)
    await ring.rotate({ compromised: true })
    expect(verifyNow(verifier, token)).toBeUndefined()

    const other = createKeyRing({ store, secret, clock, rotation: { refreshSeconds: 15 } })
    await other.ready()
    const renewed = (await tokens.issue(grant)).token
    const elsewhere = cachedVerifier(other)
    await elsewhere.verify(renewed)
    expect(verifyNow(elsewhere, renewed)).toBeDefined()
    await ring.rotate({ compromised: true }) // on the first instance: `other` has not re-read yet
    clock.advance(14_999)
    // Within the ring's refresh interval the async path accepts too: the same bound, not a longer one.
    expect(verifyNow(elsewhere, renewed)).toBeDefined()
    await expect(elsewhere.verify(renewed)).resolves.toMatchObject({ sub: 'u1' })
    clock.advance(1) // the copy is stale: only verify() can answer, and it re-reads and refuses
    expect(verifyNow(elsewhere, renewed)).toBeUndefined()
    await expect(elsewhere.verify(renewed)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
    expect(verifyNow(elsewhere, renewed)).toBeUndefined()
  })

  it('leaves to verify() a verifier without a cache, one it did not make, and a ring it did not make', async () => {
    const { token } = await tokens.issue(grant)
    const uncached = createAccessTokenVerifier({ keyRing: ring, issuer, audience: 'api', clock })
    await uncached.verify(token)
    expect(verifyNow(uncached, token)).toBeUndefined()

    const cached = cachedVerifier()
    await cached.verify(token)
    const wrapper: AccessTokenVerifier = { ...cached, verify: (value) => cached.verify(value) }
    expect(verifyNow(wrapper, token)).toBeUndefined()

    const wrappedRing = cachedVerifier({ verificationKey: (kid) => ring.verificationKey(kid) })
    await wrappedRing.verify(token)
    expect(verifyNow(wrappedRing, token)).toBeUndefined()
  })
})
