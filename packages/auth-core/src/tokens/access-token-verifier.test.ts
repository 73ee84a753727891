import { createTestClock } from '@acme/auth-testing'
import { base64url, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { createKeyRing, type KeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import type { SigningAlgorithm } from '../keys/signing-key.js'
import { createAccessTokenVerifier } from './access-token-verifier.js'
import { createAccessTokens } from './access-tokens.js'
import type { JwtClaimError } from './lib/jwt-errors.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const issuer = 'https://app.test'
const clock = createTestClock()
const rings = {} as Record<SigningAlgorithm, KeyRing>

beforeAll(async () => {
  for (const alg of ['EdDSA', 'ES256', 'RS256'] as const) {
    rings[alg] = createKeyRing({ store: new MemoryKeyStore(), secret, alg, clock })
    await rings[alg].ready()
  }
})

const verifierFor = (keyRing: KeyRing, algorithms?: SigningAlgorithm[]) =>
  createAccessTokenVerifier({ keyRing, issuer, audience: 'api', clock, ...(algorithms ? { algorithms } : {}) })

/** Signs arbitrary claims and header with the ring's active key, for tokens our issuer would never make. */
async function forge(payload: JWTPayload, header: { typ?: string } = { typ: 'at+jwt' }, keyRing = rings.EdDSA) {
  const { key, kid, alg } = await keyRing.signingKey()
  const now = Math.floor(clock.now() / 1000)
  return new SignJWT({ iss: issuer, aud: 'api', sub: 'u1', sid: 's1', iat: now, nbf: now, exp: now + 600, jti: 'j1', ...payload })
    .setProtectedHeader({ alg, kid, ...header })
    .sign(key)
}

async function failure(promise: Promise<unknown>) {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught)
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`)
  return error as JwtClaimError
}

describe('access tokens', () => {
  it.each(['EdDSA', 'ES256', 'RS256'] as const)('issues an RFC 9068 token with %s that verifies to typed claims', async (alg) => {
    const tokens = createAccessTokens({ keyRing: rings[alg], issuer, audience: 'api', clock })
    const issued = await tokens.issue({ sub: 'u1', sid: 's1', roles: ['admin'], scope: 'notes:read' })
    const header = decodeProtectedHeader(issued.token)
    expect(header).toEqual({ alg, kid: (await rings[alg].signingKey()).kid, typ: 'at+jwt' })
    const claims = await verifierFor(rings[alg]).verify(issued.token)
    const now = clock.now() / 1000
    expect(claims).toEqual({ iss: issuer, aud: 'api', sub: 'u1', sid: 's1', iat: now, nbf: now, exp: now + 600, jti: expect.any(String) as string, roles: ['admin'], scope: 'notes:read' })
    expect(issued).toMatchObject({ expiresIn: 600, expiresAt: clock.now() + 600_000 })
  })

  it('carries auth_time and acr (RFC 9068 §2.2.1) when given, and refuses them mistyped', async () => {
    const tokens = createAccessTokens({ keyRing: rings.EdDSA, issuer, audience: 'api', clock })
    const authTime = Math.floor(clock.now() / 1000) - 120
    const { token } = await tokens.issue({ sub: 'u1', sid: 's1', roles: [], authTime, acr: 'password' })
    expect(await verifierFor(rings.EdDSA).verify(token)).toMatchObject({ auth_time: authTime, acr: 'password' })
    expect((await failure(verifierFor(rings.EdDSA).verify(await forge({ auth_time: 'yesterday' })))).claim).toBe('auth_time')
  })

  it('refuses a lifetime over 15 minutes and a token without an audience', async () => {
    expect(() => createAccessTokens({ keyRing: rings.EdDSA, issuer, lifetimeSeconds: 901 })).toThrow(/options\.lifetimeSeconds/)
    const tokens = createAccessTokens({ keyRing: rings.EdDSA, issuer, clock })
    await expect(tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).rejects.toThrow(/input\.aud/)
  })
})

describe('createAccessTokenVerifier: every error code', () => {
  const verifier = () => verifierFor(rings.EdDSA)

  it('ERR_JWT_INVALID for anything that is not a compact JWS', async () => {
    for (const token of ['', 'abc', 'a.b.c', 42, null, 'x'.repeat(9000)]) {
      expect((await failure(verifier().verify(token))).code).toBe('ERR_JWT_INVALID')
    }
  })

  it('ERR_JWT_ALGORITHM for none, HS256 with the public key as secret, and algorithms off the allow-list', async () => {
    const payload = base64url.encode(JSON.stringify({ iss: issuer, aud: 'api', sub: 'u1', sid: 's1', exp: 9e9 }))
    const none = `${base64url.encode('{"alg":"none","typ":"at+jwt"}')}.${payload}.`
    expect((await failure(verifier().verify(none))).code).toBe('ERR_JWT_ALGORITHM')
    const { keys } = await rings.EdDSA.jwks()
    const hs = await new SignJWT({ iss: issuer, aud: 'api', sub: 'u1', sid: 's1' })
      .setProtectedHeader({ alg: 'HS256', kid: keys[0]!.kid, typ: 'at+jwt' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(keys[0])))
    expect((await failure(verifier().verify(hs))).code).toBe('ERR_JWT_ALGORITHM')
    const rs = await forge({}, { typ: 'at+jwt' }, rings.RS256)
    expect((await failure(verifierFor(rings.RS256, ['EdDSA']).verify(rs))).code).toBe('ERR_JWT_ALGORITHM')
    expect(() => createAccessTokenVerifier({ keyRing: rings.EdDSA, issuer, audience: 'api', algorithms: ['HS256' as never] })).toThrow(/options\.algorithms\[0\]/)
  })

  it('ERR_JWKS_NO_MATCHING_KEY for an unknown kid, and for a known kid with another algorithm', async () => {
    const other = await forge({}, { typ: 'at+jwt' }, rings.ES256)
    expect((await failure(verifier().verify(other))).code).toBe('ERR_JWKS_NO_MATCHING_KEY')
    const { key } = await rings.ES256.signingKey()
    const { kid } = await rings.EdDSA.signingKey()
    const mismatched = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(key)
    expect((await failure(verifier().verify(mismatched))).code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })

  it('ERR_JWT_SIGNATURE for a token whose payload was changed', async () => {
    const [header, , signature] = (await forge({})).split('.')
    const payload = base64url.encode(JSON.stringify({ iss: issuer, aud: 'api', sub: 'admin', sid: 's1', exp: 9e9 }))
    expect((await failure(verifier().verify(`${header}.${payload}.${signature}`))).code).toBe('ERR_JWT_SIGNATURE')
  })

  it('ERR_JWT_EXPIRED past exp plus the 30 s clock tolerance, not before', async () => {
    const start = clock.now()
    const token = await forge({}) // exp = now + 600 s
    clock.advance(629_000)
    await expect(verifier().verify(token)).resolves.toMatchObject({ sub: 'u1' })
    clock.advance(1_000)
    expect((await failure(verifier().verify(token))).code).toBe('ERR_JWT_EXPIRED')
    clock.set(start)
  })

  it('ERR_JWT_NOT_YET_VALID for a token from more than 30 s in the future', async () => {
    const now = Math.floor(clock.now() / 1000)
    expect((await failure(verifier().verify(await forge({ nbf: now + 31 })))).code).toBe('ERR_JWT_NOT_YET_VALID')
    await expect(verifier().verify(await forge({ nbf: now + 29 }))).resolves.toMatchObject({ sub: 'u1' })
  })

  it.each([
    ['iss', { iss: 'https://evil.test' }],
    ['aud', { aud: 'another-api' }],
    ['exp', { exp: undefined }],
    ['iss', { iss: undefined }],
    ['aud', { aud: undefined }],
    ['sid', { sid: undefined }],
    ['roles', { roles: 'admin' }],
  ] as const)('ERR_JWT_CLAIM naming %s', async (claim, payload) => {
    const error = await failure(verifier().verify(await forge(payload)))
    expect(error.code).toBe('ERR_JWT_CLAIM')
    expect(error.claim).toBe(claim)
  })

  it('ERR_JWT_CLAIM naming typ for a JWT that is not an access token (an ID token, say)', async () => {
    const error = await failure(verifier().verify(await forge({}, { typ: 'JWT' })))
    expect([error.code, error.claim]).toEqual(['ERR_JWT_CLAIM', 'typ'])
  })
})
