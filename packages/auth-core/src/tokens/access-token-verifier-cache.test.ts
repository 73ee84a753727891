import { createTestClock, type TestClock } from '@acme/auth-testing'
import { base64url, decodeJwt } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { isAuthError } from '../errors.js'
import { createKeyRing, type KeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { createAccessTokenVerifier } from './access-token-verifier.js'
import { createAccessTokens, type AccessTokens } from './access-tokens.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const issuer = 'https://app.test'
const grant = { sub: 'u1', sid: 's1', roles: ['member'] }

let clock: TestClock
let store: MemoryKeyStore
let ring: KeyRing
let tokens: AccessTokens
/** Every signature check jose makes goes through Web Crypto's verify(): counted here. */
let signatureChecks: MockInstance

beforeEach(async () => {
  clock = createTestClock()
  store = new MemoryKeyStore()
  ring = createKeyRing({ store, secret, clock })
  await ring.ready()
  tokens = createAccessTokens({ keyRing: ring, issuer, audience: 'api', clock })
  signatureChecks = vi.spyOn(crypto.subtle, 'verify')
})

afterEach(() => {
  signatureChecks.mockRestore()
})

const cachedVerifier = (options: { keyRing?: Pick<KeyRing, 'verificationKey'>; maxEntries?: number; clockToleranceSeconds?: number } = {}) =>
  createAccessTokenVerifier({
    keyRing: options.keyRing ?? ring,
    issuer,
    audience: 'api',
    clock,
    cache: options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries },
    ...(options.clockToleranceSeconds === undefined ? {} : { clockToleranceSeconds: options.clockToleranceSeconds }),
  })

/** How many signature checks `run` made. */
async function checksDuring(run: () => Promise<unknown>): Promise<number> {
  signatureChecks.mockClear()
  await run()
  return signatureChecks.mock.calls.length
}

/** The outcome of a verify: 'ok' or the error code. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (!isAuthError(error)) throw error
    return error.code
  }
}

describe('createAccessTokenVerifier({ cache })', () => {
  it('answers a token seen before with the same claims and no signature check', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    let first: unknown
    expect(await checksDuring(async () => (first = await verifier.verify(token)))).toBe(1)
    let second: unknown
    expect(await checksDuring(async () => (second = await verifier.verify(token)))).toBe(0)
    expect(second).toEqual(first)
    expect(second).toMatchObject({ sub: 'u1', sid: 's1', roles: ['member'], aud: 'api', iss: issuer })
    // Without the option every call checks the signature (and the spy sees it).
    const uncached = createAccessTokenVerifier({ keyRing: ring, issuer, audience: 'api', clock })
    expect(await checksDuring(() => uncached.verify(token))).toBe(1)
    expect(await checksDuring(() => uncached.verify(token))).toBe(1)
  })

  it('hands out copies: a caller changing its claims changes nothing for the next one', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    ;(await verifier.verify(token)).roles.push('admin')
    const hit = await verifier.verify(token)
    expect(hit.roles).toEqual(['member'])
    hit.roles.push('admin')
    expect((await verifier.verify(token)).roles).toEqual(['member'])
  })

  it.each([0, 30])('never answers at or past exp (clock tolerance %i s): the same outcome as a fresh verify, from the signature', async (tolerance) => {
    const { token } = await tokens.issue(grant)
    const expMs = decodeJwt(token).exp! * 1000
    const cached = cachedVerifier({ clockToleranceSeconds: tolerance })
    const fresh = createAccessTokenVerifier({ keyRing: ring, issuer, audience: 'api', clock, clockToleranceSeconds: tolerance })
    await cached.verify(token)

    clock.set(expMs - 1)
    expect(await checksDuring(async () => expect(await outcome(cached.verify(token))).toBe('ok'))).toBe(0)

    // From exp on, every answer comes from a full verify, and agrees with an uncached verifier.
    for (const at of [expMs, expMs + 1, expMs + tolerance * 1000 - 1, expMs + tolerance * 1000, expMs + 60_000]) {
      if (at < expMs) continue
      clock.set(at)
      const expected = await outcome(fresh.verify(token))
      expect(expected).toBe(at < expMs + tolerance * 1000 ? 'ok' : 'ERR_JWT_EXPIRED')
      expect(await checksDuring(async () => expect(await outcome(cached.verify(token))).toBe(expected))).toBe(1)
      // … and a success inside the tolerance is not put back in the cache.
      expect(await checksDuring(() => outcome(cached.verify(token)))).toBe(1)
    }
  })

  it('does not answer from the cache when the clock reads earlier than when the token was cached', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    clock.advance(5_000)
    await verifier.verify(token)
    clock.set(clock.now() - 1_000)
    expect(await checksDuring(() => verifier.verify(token))).toBe(1)
  })

  it('keeps at most maxEntries tokens, least recently used out first', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(async (n) => (await tokens.issue({ ...grant, sid: `s${n}` })).token))
    const verifier = cachedVerifier({ maxEntries: 2 })
    await verifier.verify(a!)
    await verifier.verify(b!)
    expect(await checksDuring(() => verifier.verify(a!))).toBe(0) // a is now the most recent
    expect(await checksDuring(() => verifier.verify(c!))).toBe(1) // b goes
    expect(await checksDuring(() => verifier.verify(a!))).toBe(0)
    expect(await checksDuring(() => verifier.verify(c!))).toBe(0)
    expect(await checksDuring(() => verifier.verify(b!))).toBe(1)
  })

  it('refuses a cached token at once when its key is removed on this instance (rotate --compromised)', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    await verifier.verify(token)
    expect(await checksDuring(() => verifier.verify(token))).toBe(0)
    await ring.rotate({ compromised: true })
    expect(await outcome(verifier.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(await outcome(verifier.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    // Tokens of the new key verify (and are cached) as before.
    const renewed = (await tokens.issue(grant)).token
    await verifier.verify(renewed)
    expect(await checksDuring(() => verifier.verify(renewed))).toBe(0)
  })

  it('on another instance over the same store, refuses a cached token of a removed key when its ring re-reads the store, like an uncached verifier', async () => {
    const other = createKeyRing({ store, secret, clock, rotation: { refreshSeconds: 15 } })
    await other.ready()
    const { token } = await tokens.issue(grant)
    const cached = cachedVerifier({ keyRing: other })
    const uncached = createAccessTokenVerifier({ keyRing: other, issuer, audience: 'api', clock })
    await cached.verify(token)
    await ring.rotate({ compromised: true }) // on the first instance

    clock.advance(14_999) // the other ring's copy is still fresh: both still accept
    expect(await outcome(cached.verify(token))).toBe('ok')
    expect(await outcome(uncached.verify(token))).toBe('ok')
    clock.advance(1) // 15 s: the other ring re-reads the store
    expect(await outcome(cached.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(await outcome(uncached.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })

  it('does not answer from the cache when the kid now names another key', async () => {
    const { token } = await tokens.issue(grant)
    const elsewhere = createKeyRing({ store: new MemoryKeyStore(), secret, clock })
    const { kid } = await ring.signingKey()
    const otherKey = (await elsewhere.signingKey()).kid
    let swapped = false
    // A ring that, after the swap, publishes another key under the same kid.
    const keyRing: Pick<KeyRing, 'verificationKey'> = {
      async verificationKey(requested) {
        if (!swapped || requested !== kid) return ring.verificationKey(requested)
        const key = await elsewhere.verificationKey(otherKey)
        return key && { ...key, kid }
      },
    }
    const verifier = cachedVerifier({ keyRing })
    await verifier.verify(token)
    swapped = true
    expect(await outcome(verifier.verify(token))).toBe('ERR_JWT_SIGNATURE')
  })

  it('a tampered token never finds the original’s entry, and failures are verified again every time', async () => {
    const { token } = await tokens.issue(grant)
    const verifier = cachedVerifier()
    await verifier.verify(token)
    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as Record<string, unknown>
    const tampered = [header, base64url.encode(JSON.stringify({ ...claims, roles: ['admin'] })), signature].join('.')
    for (let i = 0; i < 3; i++) {
      expect(await checksDuring(async () => expect(await outcome(verifier.verify(tampered))).toBe('ERR_JWT_SIGNATURE'))).toBe(1)
    }
    // A good signature with a claim this verifier refuses: checked (and refused) every time too.
    const otherAudience = (await tokens.issue({ ...grant, aud: 'other-api' })).token
    for (let i = 0; i < 2; i++) {
      expect(await checksDuring(async () => expect(await outcome(verifier.verify(otherAudience))).toBe('ERR_JWT_CLAIM'))).toBe(1)
    }
    // Not a token at all: refused before any hashing or lookup.
    expect(await outcome(verifier.verify(undefined))).toBe('ERR_JWT_INVALID')
    expect(await outcome(verifier.verify('x'.repeat(9000)))).toBe('ERR_JWT_INVALID')
    // The original still answers from the cache.
    expect(await checksDuring(() => verifier.verify(token))).toBe(0)
  })

  it('validates its options at construction', () => {
    const make = (cache: unknown) => () =>
      createAccessTokenVerifier({ keyRing: ring, issuer, audience: 'api', cache: cache as { maxEntries: number } })
    expect(make({ maxEntries: 0 })).toThrow(/options\.cache\.maxEntries/)
    expect(make({ maxEntries: 1.5 })).toThrow(/options\.cache\.maxEntries/)
    expect(make('on')).toThrow(/options\.cache must be an object/)
    expect(make(false)).not.toThrow()
  })
})
