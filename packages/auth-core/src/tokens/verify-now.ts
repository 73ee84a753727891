import type { AccessTokenClaims } from './access-token-claims.js'
import type { AccessTokenVerifier } from './access-token-verifier.js'

/** A verifier's synchronous cache hit, paired with the verifier it belongs to. */
export interface VerifyNowHook {
  /** The verifier object that made the hook (a copy or a wrapper is not it). */
  owner: object
  /** The claims when the verified-token cache answers at once; `undefined` when `verify` must. */
  now(token: unknown): AccessTokenClaims | undefined
}

/** Where `createAccessTokenVerifier` keeps its hook (non-enumerable: a spread copy does not carry it). */
export const verifyNowKey: unique symbol = Symbol.for('@acme/auth-core/access-token-verifier/verify-now')

/**
 * `verifier.verify(token)` without a promise, for a token in the verified-token cache whose key
 * the ring still publishes (its fresh local copy says so at once). `undefined` means "ask
 * `verify`": a miss, an expired entry, a stale ring, no cache, or a verifier
 * `createAccessTokenVerifier` did not make. It never refuses a token itself: every refusal, with
 * its error code, comes from `verify`. The claims are the cache entry's own, frozen with their
 * lists: read them, and copy what you keep (the server's `authFromClaims` does).
 */
export function verifyNow(verifier: AccessTokenVerifier, token: unknown): AccessTokenClaims | undefined {
  const hook = (verifier as { [verifyNowKey]?: VerifyNowHook })[verifyNowKey]
  if (!hook || !Object.is(hook.owner, verifier)) return undefined
  return hook.now(token)
}
