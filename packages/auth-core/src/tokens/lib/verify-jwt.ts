import { decodeProtectedHeader, jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import { AuthError } from '../../errors.js'
import type { SigningAlgorithm } from '../../keys/signing-key.js'
import type { AccessTokenClaims } from '../access-token-claims.js'
import { isAmr } from './amr-claim.js'
import { claimError, toJwtAuthError } from './jwt-errors.js'
import type { VerifyPolicy } from './verify-policy.js'

/** Finds the public key for a header's `kid` and `alg`; throws `ERR_JWKS_NO_MATCHING_KEY` (or `ERR_JWKS_FETCH`). */
export type ResolveVerificationKey = (kid: string, alg: SigningAlgorithm) => Promise<CryptoKey>

/** Longer strings are refused before any parsing (and never hashed for the verified-token cache). */
export const MAX_TOKEN_LENGTH = 8192

/** Verifies an access token against a policy, with every failure mapped to a stable AuthError code. */
export async function verifyAccessJwt(
  token: unknown,
  policy: VerifyPolicy,
  resolveKey: ResolveVerificationKey,
): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new AuthError('ERR_JWT_INVALID', 'the token must be a compact JWS string')
  }
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(token)
  } catch (error) {
    throw new AuthError('ERR_JWT_INVALID', 'malformed token header', { cause: error })
  }
  // Checked before any key lookup: `none`, HS* and anything off the allow-list never reach a key.
  const alg = header.alg
  if (typeof alg !== 'string' || !(policy.algorithms as readonly string[]).includes(alg)) {
    throw new AuthError('ERR_JWT_ALGORITHM', `algorithm ${String(alg)} is not allowed`)
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw new AuthError('ERR_JWKS_NO_MATCHING_KEY', 'the token header has no kid')
  }
  const kid = header.kid
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, () => resolveKey(kid, alg as SigningAlgorithm), {
      algorithms: [...policy.algorithms],
      issuer: policy.issuer,
      audience: [...policy.audience],
      clockTolerance: policy.clockToleranceSeconds,
      currentDate: new Date(policy.clock.now()),
      requiredClaims: ['exp', 'iat', 'nbf', 'sub', 'jti'],
      typ: 'at+jwt', // RFC 9068 §4: an ID token or other JWT must not pass as an access token
    }))
  } catch (error) {
    throw toJwtAuthError(error)
  }
  return toClaims(payload)
}

function toClaims(payload: JWTPayload): AccessTokenClaims {
  const { sid, roles, scope, auth_time: authTime, acr, amr } = payload as {
    sid?: unknown
    roles?: unknown
    scope?: unknown
    auth_time?: unknown
    acr?: unknown
    amr?: unknown
  }
  if (typeof payload.sub !== 'string') throw claimError('sub', '"sub" claim must be a string')
  if (typeof sid !== 'string') throw claimError('sid', 'missing or invalid "sid" claim')
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string'))) {
    throw claimError('roles', '"roles" claim must be a list of strings')
  }
  if (scope !== undefined && typeof scope !== 'string') throw claimError('scope', '"scope" claim must be a string')
  if (typeof payload.jti !== 'string') throw claimError('jti', '"jti" claim must be a string')
  if (authTime !== undefined && typeof authTime !== 'number') throw claimError('auth_time', '"auth_time" claim must be a number')
  if (acr !== undefined && typeof acr !== 'string') throw claimError('acr', '"acr" claim must be a string')
  if (amr !== undefined && !isAmr(amr)) throw claimError('amr', '"amr" claim must be a list of short strings')
  return Object.freeze({
    iss: payload.iss!,
    aud: payload.aud!,
    sub: payload.sub,
    sid,
    iat: payload.iat!,
    nbf: payload.nbf!,
    exp: payload.exp!,
    jti: payload.jti,
    roles: [...((roles as string[] | undefined) ?? [])],
    ...(scope === undefined ? {} : { scope }),
    ...(authTime === undefined ? {} : { auth_time: authTime }),
    ...(acr === undefined ? {} : { acr }),
    ...(amr === undefined ? {} : { amr: [...amr] }),
  })
}
