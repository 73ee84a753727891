import { systemClock, type Clock } from '../clock.js'
import { AuthError } from '../errors.js'
import type { KeyRing } from '../keys/key-ring.js'
import type { SigningAlgorithm } from '../keys/signing-key.js'
import { requireMethods, requireObject } from '../lib/options.js'
import type { AccessTokenClaims } from './access-token-claims.js'
import { verifyAccessJwt } from './lib/verify-jwt.js'
import { resolveVerifyPolicy } from './lib/verify-policy.js'

/** Options of {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifierOptions {
  /** Where public keys come from (next, active and retired keys). */
  keyRing: Pick<KeyRing, 'verificationKey'>
  /** The only accepted `iss`. */
  issuer: string
  /** Accepted `aud` values: the token must name at least one. */
  audience: string | readonly string[]
  /** Allow-list of algorithms; `none` and HS* are never accepted. @default ['EdDSA', 'ES256', 'RS256'] */
  algorithms?: readonly SigningAlgorithm[]
  /** Allowed clock skew for `exp` and `nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number
  /** @default systemClock */
  clock?: Clock
}

/** Verifies access tokens; see {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifier {
  /**
   * The token's claims, or throws an AuthError with a stable code: `ERR_JWT_INVALID` (malformed),
   * `ERR_JWT_ALGORITHM`, `ERR_JWKS_NO_MATCHING_KEY`, `ERR_JWT_SIGNATURE`, `ERR_JWT_EXPIRED`,
   * `ERR_JWT_NOT_YET_VALID`, or `ERR_JWT_CLAIM` with `error.claim` naming the claim.
   */
  verify(token: unknown): Promise<AccessTokenClaims>
}

/**
 * Creates a verifier over the local key ring (the server itself, or a service sharing its store).
 * Upstream services without the store use {@link createRemoteJwksVerifier}.
 *
 * @example
 * ```ts
 * import { createAccessTokenVerifier, isAuthError } from '@acme/auth-core'
 *
 * const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.example.com', audience: 'https://api.example.com' })
 * try {
 *   const claims = await verifier.verify(bearerToken)
 * } catch (error) {
 *   if (isAuthError(error, 'ERR_JWT_EXPIRED')) return null // the client refreshes and retries
 *   throw error
 * }
 * ```
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const input = requireObject(options, 'options')
  const keyRing = requireMethods<Pick<KeyRing, 'verificationKey'>>(input.keyRing, 'options.keyRing', ['verificationKey'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  const policy = resolveVerifyPolicy(input, clock)

  const resolveKey = async (kid: string, alg: SigningAlgorithm) => {
    const key = await keyRing.verificationKey(kid)
    // The key fixes the algorithm: a header cannot pick another one for the same key.
    if (!key || key.alg !== alg) throw new AuthError('ERR_JWKS_NO_MATCHING_KEY', `no published key ${kid} for ${alg}`)
    return key.key
  }

  return Object.freeze({
    verify: (token: unknown) => verifyAccessJwt(token, policy, resolveKey),
  })
}
