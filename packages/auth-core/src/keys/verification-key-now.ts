import type { KeyRing, VerificationKey } from './key-ring.js'

/** A ring's synchronous-when-it-can key lookup, paired with the lookup it stands in for. */
export interface VerificationKeyNowHook {
  verificationKey: KeyRing['verificationKey']
  /** The key when the ring's fresh local copy answers at once; `undefined` when only the async path can. */
  now(kid: string): VerificationKey | null | undefined
}

/**
 * Where `createKeyRing` keeps its hook. Enumerable, so a spread copy of the ring (the testing kit's
 * `{ ...ring, store }`) keeps the fast path: the copy answers with the ring's own `verificationKey`.
 */
export const verificationKeyNowKey: unique symbol = Symbol.for('@acme/auth-core/key-ring/verification-key-now')

/**
 * `keyRing.verificationKey(kid)` without a promise, when the ring's local copy is fresh and the
 * key's public half is already imported; `undefined` when only `verificationKey` can answer (a stale
 * copy, an unknown kid, a key not imported yet, a ring `createKeyRing` did not make, or one whose
 * `verificationKey` was replaced).
 */
export function verificationKeyNow(keyRing: Pick<KeyRing, 'verificationKey'>, kid: string): VerificationKey | null | undefined {
  const hook = (keyRing as { [verificationKeyNowKey]?: VerificationKeyNowHook })[verificationKeyNowKey]
  if (hook === undefined || hook.verificationKey !== keyRing.verificationKey) return undefined
  return hook.now(kid)
}
