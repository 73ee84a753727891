import { systemClock, type Clock } from '../clock.js'
import { AuthError } from '../errors.js'
import type { KeyRing } from '../keys/key-ring.js'
import type { SigningAlgorithm } from '../keys/signing-key.js'
import { sha256, sha256Now } from '../lib/crypto.js'
import { verificationKeyNow } from '../keys/verification-key-now.js'
import { verifyNowKey, type VerifyNowHook } from './verify-now.js'
import { optionalNumber, requireMethods, requireObject } from '../lib/options.js'
import type { AccessTokenClaims } from './access-token-claims.js'
import { VerifiedTokenCache, type VerifiedToken } from './lib/verified-token-cache.js'
import { MAX_TOKEN_LENGTH, verifyAccessJwt } from './lib/verify-jwt.js'
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
  /**
   * Remembers tokens that verified, so a token presented again skips the signature check (an
   * EdDSA verify costs about as much as a whole Express request). `{}` turns it on with the
   * default bound. See {@link AccessTokenVerifierCacheOptions} for what it guarantees.
   * @default false (every call verifies the signature)
   */
  cache?: false | AccessTokenVerifierCacheOptions
}

/**
 * The verified-token cache of {@link createAccessTokenVerifier}. Per instance and in memory:
 * - keyed by the token's SHA-256 (the token itself is not kept), so only the very same token finds
 *   an entry; a token that differs in one byte is verified in full;
 * - only successes are cached: a token that failed is verified again every time;
 * - an entry answers only while the clock reads before the token's `exp` (and not before the
 *   moment it was cached): `clockToleranceSeconds` never stretches a cached answer past `exp`; a
 *   token inside the tolerance is verified in full each time, as without the cache;
 * - each hit asks the key ring whether the signing key is still published (a map lookup in the
 *   ring's local copy). A key removed here (`rotate({ compromised: true })`) stops answering from
 *   the cache at once; one removed by another instance stops when this ring re-reads the store
 *   (`rotation.refreshSeconds`, ≤ 30 s): the same bound as without the cache. Its entries are dropped.
 * - least recently used goes first beyond `maxEntries`; an entry holds the claims and a key
 *   reference (about 0.5 KB), so the default bound is about 5 MB.
 */
export interface AccessTokenVerifierCacheOptions {
  /** @default 10000 */
  maxEntries?: number
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
  const cache = resolveCache(input.cache)

  const resolveKey = async (kid: string, alg: SigningAlgorithm) => {
    const key = await keyRing.verificationKey(kid)
    // The key fixes the algorithm: a header cannot pick another one for the same key.
    if (!key || key.alg !== alg) throw new AuthError('ERR_JWKS_NO_MATCHING_KEY', `no published key ${kid} for ${alg}`)
    return key.key
  }

  if (!cache) {
    return Object.freeze({
      verify: (token: unknown) => verifyAccessJwt(token, policy, resolveKey),
    })
  }

  /** The ring still publishes the very key that checked the signature (same kid, alg and key object). */
  const stillPublished = async (entry: VerifiedToken) => {
    const key = await keyRing.verificationKey(entry.kid)
    return key !== null && key.alg === entry.alg && key.key === entry.key
  }

  const verifier: AccessTokenVerifier = {
    async verify(token: unknown) {
      // What cannot be a token is refused by the full path, without hashing it.
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return verifyAccessJwt(token, policy, resolveKey)
      const tokenHash = await sha256(token)
      const hit = cache.get(tokenHash, clock.now())
      if (hit) {
        if (await stillPublished(hit)) return copyClaims(hit.claims)
        cache.deleteKid(hit.kid)
      }
      const signer: { used?: Omit<VerifiedToken, 'claims'> } = {}
      const claims = await verifyAccessJwt(token, policy, async (kid, alg) => {
        const key = await resolveKey(kid, alg)
        signer.used = { kid, alg, key }
        return key
      })
      // Only here, after every check passed; the cache keeps its own copy, so a caller that
      // changes its claims (roles, say) changes nothing for the next request.
      if (signer.used) cache.set(tokenHash, { ...signer.used, claims: copyClaims(claims, true) }, clock.now())
      return claims
    },
  }
  // The same hit as above without a promise: hashed at once, the key checked against the ring's
  // fresh local copy. Whatever that cannot settle at once goes through verify(). It hands out the
  // entry's own claims, frozen to the last list, not a copy: the per-request caller (the server's
  // token strategy) only reads them, and an object spread per request costs more than the lookup.
  const now: VerifyNowHook['now'] = (token) => {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined
    const tokenHash = sha256Now(token)
    if (tokenHash === undefined) return undefined
    const hit = cache.get(tokenHash, clock.now())
    if (!hit) return undefined
    const key = verificationKeyNow(keyRing, hit.kid)
    return key && key.alg === hit.alg && key.key === hit.key ? hit.claims : undefined
  }
  Object.defineProperty(verifier, verifyNowKey, { value: Object.freeze({ owner: verifier, now }) })
  return Object.freeze(verifier)
}

function resolveCache(value: unknown): VerifiedTokenCache | undefined {
  if (value === undefined || value === false) return undefined
  const options = requireObject(value, 'options.cache')
  return new VerifiedTokenCache(optionalNumber(options.maxEntries, 'options.cache.maxEntries', 10_000, { min: 1, max: 10_000_000, integer: true }))
}

/**
 * A frozen copy of `claims` with lists of its own: frozen too for the cache's entry (`frozenLists`,
 * what `verifyNow` hands out), the caller's to change otherwise (what `verify()` returns).
 */
function copyClaims(claims: AccessTokenClaims, frozenLists = false): AccessTokenClaims {
  const list = (items: readonly string[]): string[] => (frozenLists ? (Object.freeze([...items]) as string[]) : [...items])
  const copy = { ...claims, roles: list(claims.roles) }
  if (Array.isArray(claims.aud)) copy.aud = list(claims.aud)
  if (Array.isArray(claims.amr)) copy.amr = list(claims.amr)
  return Object.freeze(copy)
}
