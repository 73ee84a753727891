import {
  createAccessTokenVerifier,
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type Clock,
  type SigningKey,
} from '@acme/auth-core'
import { randomToken } from '@acme/auth-core/internal'
import { SignJWT } from 'jose'
import type { TestKeyRing } from '../keys/test-key-ring.js'

/**
 * Claims of a test token: any access-token claim (or any other claim) to set. A claim set to
 * `undefined` is left out of the token, for "missing claim" tests.
 */
export type TestTokenClaims = { [Claim in keyof AccessTokenClaims]?: AccessTokenClaims[Claim] | undefined } & {
  [claim: string]: unknown
}

/** Per-token header changes. */
export interface TestTokenHeader {
  /** @default the signing key's kid */
  kid?: string
  /** @default 'at+jwt' (RFC 9068) */
  typ?: string
}

/** Options of {@link createTestTokens}. */
export interface TestTokensOptions {
  /** The `iss` of every token. @default 'https://app.example.com' */
  issuer?: string
  /** The `aud` of every token. @default 'https://api.example.com' */
  audience?: string
  /** `exp - iat`, in seconds. @default 600 */
  lifetimeSeconds?: number
  /** Where "now" comes from. @default the key ring's clock */
  clock?: Clock
}

/** Access-token factory over a test key ring; see {@link createTestTokens}. */
export interface TestTokens {
  readonly issuer: string
  readonly audience: string
  /** A token core would issue now (`sub` 'test-user', `sid` 'test-session', no roles unless given), signed by the active key. */
  sign(claims?: TestTokenClaims, header?: TestTokenHeader): Promise<string>
  /** Expired an hour ago (well past any clock tolerance): `ERR_JWT_EXPIRED`. */
  expired(claims?: TestTokenClaims): Promise<string>
  /** Valid only from an hour from now: `ERR_JWT_NOT_YET_VALID`. */
  notYetValid(claims?: TestTokenClaims): Promise<string>
  /** For another audience: `ERR_JWT_CLAIM` with `claim: 'aud'`. */
  wrongAudience(claims?: TestTokenClaims): Promise<string>
  /** Signed by the active key but naming a kid no ring has: `ERR_JWKS_NO_MATCHING_KEY`. */
  unknownKid(claims?: TestTokenClaims): Promise<string>
  /** Signed by the ring's removed key ({@link TestKeyRing.removedKey}): `ERR_JWKS_NO_MATCHING_KEY`. */
  signedByRemovedKey(claims?: TestTokenClaims): Promise<string>
  /** Core's verifier for exactly these tokens (same key ring, issuer, audience and clock). */
  verifier(): AccessTokenVerifier
}

const hour = 3600

/**
 * Signs access tokens with a {@link TestKeyRing}, valid ones and the usual broken ones, so tests
 * of code that verifies tokens need no hand-made JWTs.
 *
 * @example
 * ```ts
 * import { createTestKeyRing, createTestTokens } from '@acme/auth-testing'
 *
 * const tokens = createTestTokens(await createTestKeyRing(), { audience: 'notes-api' })
 * const verifier = tokens.verifier()
 * await verifier.verify(await tokens.sign({ sub: 'alice', roles: ['admin'] })) // claims
 * await verifier.verify(await tokens.expired()) // throws ERR_JWT_EXPIRED
 * ```
 */
export function createTestTokens(keyRing: TestKeyRing, options: TestTokensOptions = {}): TestTokens {
  const issuer = options.issuer ?? 'https://app.example.com'
  const audience = options.audience ?? 'https://api.example.com'
  const lifetime = options.lifetimeSeconds ?? 600
  const clock = options.clock ?? keyRing.clock
  const nowSeconds = () => Math.floor(clock.now() / 1000)

  const signWith = async (key: SigningKey, claims: TestTokenClaims, header: TestTokenHeader = {}) => {
    const iat = nowSeconds()
    const payload: Record<string, unknown> = {
      iss: issuer, aud: audience, sub: 'test-user', sid: 'test-session',
      iat, nbf: iat, exp: iat + lifetime, jti: randomToken(16), roles: [],
      ...claims,
    }
    for (const [claim, value] of Object.entries(payload)) if (value === undefined) delete payload[claim]
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid, typ: header.typ ?? 'at+jwt' }).sign(key.key)
  }
  const sign = async (claims: TestTokenClaims = {}, header?: TestTokenHeader) => signWith(await keyRing.signingKey(), claims, header)
  const shifted = (offsetSeconds: number, claims: TestTokenClaims) => {
    const iat = nowSeconds() + offsetSeconds
    return sign({ iat, nbf: iat, exp: iat + lifetime, ...claims })
  }

  return Object.freeze({
    issuer,
    audience,
    sign,
    expired: (claims: TestTokenClaims = {}) => shifted(-hour - lifetime, claims),
    notYetValid: (claims: TestTokenClaims = {}) => shifted(hour, claims),
    wrongAudience: (claims: TestTokenClaims = {}) => sign({ aud: 'https://wrong-audience.example.com', ...claims }),
    unknownKid: (claims: TestTokenClaims = {}) => sign(claims, { kid: `unknown-${randomToken(9)}` }),
    signedByRemovedKey: (claims: TestTokenClaims = {}) => signWith(keyRing.removedKey, claims),
    verifier: () => createAccessTokenVerifier({ keyRing, issuer, audience, clock }),
  })
}
