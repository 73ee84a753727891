/** The signing algorithms a key ring can hold. EdDSA means Ed25519 (RFC 8037). */
export type SigningAlgorithm = 'EdDSA' | 'ES256' | 'RS256'

/** Every {@link SigningAlgorithm}, for allow-lists and option checks. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = Object.freeze(['EdDSA', 'ES256', 'RS256'])

/**
 * Where a key is in its life, at a given time: `next` (published, not yet signing), `active`
 * (signs), `retired` (published so tokens it signed still verify). After `removesAt` it is gone.
 */
export type KeyStatus = 'next' | 'active' | 'retired'

/** A public JWK as published in the JWKS (string members only; no private parts). */
export interface PublicJwk {
  kty: string
  kid: string
  alg: SigningAlgorithm
  use: 'sig'
  crv?: string
  x?: string
  y?: string
  n?: string
  e?: string
}

/**
 * A key as the key store holds it. The lifecycle is a set of timestamps, not a mutable status:
 * every instance derives the same status from the same record and its clock, so promotion and
 * removal happen on time even when no instance runs a scheduled task at that moment.
 */
export interface StoredSigningKey {
  kid: string
  alg: SigningAlgorithm
  createdAt: number
  /** From this time (ms) the key signs. Before it, the key is `next`. */
  activatesAt: number
  /** From this time (ms) the key no longer signs (its successor activates). `null` while it has none. */
  retiresAt: number | null
  /** From this time (ms) the key is unpublished and tokens it signed fail. `null` while it has no successor. */
  removesAt: number | null
  publicJwk: PublicJwk
  /** The private JWK, AES-GCM encrypted: `v1.<secretId>.<iv>.<ciphertext>`. */
  sealedPrivateKey: string
}

/** The whole ring as stored: a version for compare-and-set, and its keys. */
export interface KeyRingState {
  /** Increases by one on every committed change; 0 means "no ring yet". */
  version: number
  keys: readonly StoredSigningKey[]
}

/** What the key ring tells about a key (never key material). */
export interface SigningKeyInfo {
  kid: string
  alg: SigningAlgorithm
  status: KeyStatus
  createdAt: number
  activatesAt: number
  retiresAt: number | null
  removesAt: number | null
}

/** The status of `key` at `now`, or `'removed'` once it must no longer be published. */
export function keyStatusAt(key: StoredSigningKey, now: number): KeyStatus | 'removed' {
  if (key.removesAt !== null && now >= key.removesAt) return 'removed'
  if (key.retiresAt !== null && now >= key.retiresAt) return 'retired'
  return now >= key.activatesAt ? 'active' : 'next'
}

/** The key that signs at `now`: the most recently activated key that is active. */
export function activeKeyAt(keys: readonly StoredSigningKey[], now: number): StoredSigningKey | undefined {
  let found: StoredSigningKey | undefined
  for (const key of keys) {
    if (keyStatusAt(key, now) === 'active' && (!found || key.activatesAt > found.activatesAt)) found = key
  }
  return found
}

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value)
}
