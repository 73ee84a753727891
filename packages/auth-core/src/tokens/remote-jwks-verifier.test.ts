import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { createKeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { createAccessTokens } from './access-tokens.js'
import { createRemoteJwksVerifier, type FetchLike } from './remote-jwks-verifier.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const issuer = 'https://app.test'

function setup() {
  const clock = createTestClock()
  const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret, clock })
  const tokens = createAccessTokens({ keyRing, issuer, audience: 'api', clock })
  const server = { up: true, requests: 0 }
  const fetch: FetchLike = async (url) => {
    server.requests++
    expect(url).toBe('https://app.test/.well-known/jwks.json')
    if (!server.up) throw new Error('ECONNREFUSED')
    const body = await keyRing.jwks()
    return { ok: true, status: 200, headers: { get: (name) => (name === 'cache-control' ? 'public, max-age=300' : null) }, json: () => Promise.resolve(body) }
  }
  const verifier = createRemoteJwksVerifier({ jwksUrl: 'https://app.test/.well-known/jwks.json', issuer, audience: 'api', http: { fetch }, clock })
  const issue = async () => (await tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).token
  const other = createAccessTokens({ keyRing: createKeyRing({ store: new MemoryKeyStore(), secret, clock }), issuer, audience: 'api', clock })
  const forgedKid = async () => (await other.issue({ sub: 'u1', sid: 's1', roles: [] })).token
  return { clock, keyRing, server, verifier, issue, forgedKid }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (error: unknown) => (isAuthError(error) ? error.code : String(error)))

describe('createRemoteJwksVerifier', () => {
  it('fetches the JWKS once and serves later verifications from the cache until max-age', async () => {
    const { verifier, issue, server, clock } = setup()
    const token = await issue()
    for (let i = 0; i < 5; i++) await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u1' })
    expect(server.requests).toBe(1)
    clock.advance(26_900) // max-age 300 s is capped at 30 s, minus at most 10 % jitter: still cached
    await verifier.verify(token)
    expect(server.requests).toBe(1)
    clock.advance(3_100)
    await verifier.verify(token)
    expect(server.requests).toBe(2)
  })

  it('requests that arrive while the first fetch is under way wait for it (no spurious ERR_JWKS_FETCH)', async () => {
    const { verifier, issue, server } = setup()
    const token = await issue()
    const claims = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(token)))
    expect(claims.every((c) => c.sub === 'u1')).toBe(true)
    expect(server.requests).toBe(1)
  })

  it('refetches once on an unknown kid, then not again within the cooldown however many requests come', async () => {
    const { verifier, issue, forgedKid, server, clock, keyRing } = setup()
    await verifier.verify(await issue())
    const forged = await forgedKid()
    expect(await codeOf(verifier.verify(forged))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    expect(server.requests).toBe(1) // within the cooldown of the first fetch
    clock.advance(30_000)
    const codes = await Promise.all(Array.from({ length: 50 }, () => codeOf(verifier.verify(forged))))
    expect(new Set(codes)).toEqual(new Set(['ERR_JWKS_NO_MATCHING_KEY']))
    expect(server.requests).toBe(2)
    // A genuine new key (emergency rotation) is picked up after the cooldown.
    await keyRing.rotate({ compromised: true })
    const fresh = await issue()
    expect(await codeOf(verifier.verify(fresh))).toBe('ERR_JWKS_NO_MATCHING_KEY')
    clock.advance(30_000)
    await expect(verifier.verify(fresh)).resolves.toMatchObject({ sub: 'u1' })
    expect(server.requests).toBe(3)
  })

  it('fails closed with ERR_JWKS_FETCH when no cached key fits and the JWKS cannot be fetched', async () => {
    const { verifier, issue, server, clock } = setup()
    server.up = false
    const token = await issue()
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWKS_FETCH')
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWKS_FETCH')
    expect(server.requests).toBe(1) // a down JWKS is retried once per cooldown, not per request
    server.up = true
    clock.advance(30_000)
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u1' })
  })

  it('never serves a key past the capped max-age: fails closed with ERR_JWKS_FETCH when the JWKS is down', async () => {
    const { verifier, issue, keyRing, server, clock } = setup()
    const before = await issue()
    await verifier.verify(before) // cached, although the JWKS says max-age=300
    await keyRing.rotate({ compromised: true })
    server.up = false
    clock.advance(26_999) // the honoured max-age is 30 s (capped), minus at most 10 % jitter
    await expect(verifier.verify(before)).resolves.toMatchObject({ sub: 'u1' })
    clock.advance(3_001) // 30 s after the fetch: the cached keys are no longer trusted
    expect(await codeOf(verifier.verify(before))).toBe('ERR_JWKS_FETCH')
    expect(await codeOf(verifier.verify(await issue()))).toBe('ERR_JWKS_FETCH')
    clock.advance(3_600_000)
    expect(await codeOf(verifier.verify(before))).toBe('ERR_JWKS_FETCH')
    server.up = true
    clock.advance(30_000)
    expect(await codeOf(verifier.verify(before))).toBe('ERR_JWKS_NO_MATCHING_KEY') // the removed key is gone for good
    await expect(verifier.verify(await issue())).resolves.toMatchObject({ sub: 'u1' })
  })

  it('a compromised key stops verifying at a remote verifier within 60 s, through another instance’s JWKS', async () => {
    const clock = createTestClock()
    const store = new MemoryKeyStore({ clock })
    const a = createKeyRing({ store, secret, clock })
    const served = createKeyRing({ store, secret, clock, rotation: { refreshSeconds: 30 } }) // the slowest allowed instance
    const tokens = createAccessTokens({ keyRing: a, issuer, audience: 'api', clock })
    const before = (await tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).token
    await served.jwks() // the serving instance holds the old ring from now on, for up to 30 s
    await a.rotate({ compromised: true })
    const fetch: FetchLike = async () => {
      const body = await served.jwks()
      return { ok: true, status: 200, headers: { get: (name) => (name === 'cache-control' ? 'max-age=86400' : null) }, json: () => Promise.resolve(body) }
    }
    const verifier = createRemoteJwksVerifier({ jwksUrl: 'https://app.test/.well-known/jwks.json', issuer, audience: 'api', http: { fetch }, clock })
    clock.advance(29_000) // the worst moment: a first fetch just before the instance re-reads the ring
    let lastAccepted = -1
    for (let second = 29; second <= 120; second++) {
      if ((await codeOf(verifier.verify(before))) === 'ok') lastAccepted = second
      clock.advance(1_000)
    }
    expect(lastAccepted).toBeGreaterThanOrEqual(29) // the lag is real…
    expect(lastAccepted).toBeLessThan(60) // …and bounded
  })

  it('validates its options, naming the path', () => {
    expect(() => createRemoteJwksVerifier({ jwksUrl: 'ftp://x', issuer, audience: 'api' })).toThrow(/options\.jwksUrl/)
    expect(() => createRemoteJwksVerifier({ jwksUrl: 'https://x', issuer: '', audience: 'api' })).toThrow(/options\.issuer/)
    expect(() => createRemoteJwksVerifier({ jwksUrl: 'https://x', issuer, audience: [] })).toThrow(/options\.audience/)
    expect(() => createRemoteJwksVerifier({ jwksUrl: 'https://x', issuer, audience: 'api', http: { maxCacheSeconds: 300 } })).toThrow(/options\.http\.maxCacheSeconds/)
  })
})
