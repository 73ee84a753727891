// A bounded per-instance memory of access tokens that verified, so that a token presented on every
// request pays one signature check instead of one per request. Rules (the verifier enforces them):
// - keyed by the token's SHA-256: only the same bytes find an entry, and no token is kept in memory;
// - only successes go in: a token that failed is verified again each time it comes back;
// - an entry is served only while `now < exp` — never inside the clock tolerance a fresh verify
//   allows past `exp` — and never when the clock reads earlier than when it was cached;
// - on each hit the verifier asks the key ring whether the entry's key is still published, so a
//   removed key stops answering from the cache as soon as the ring knows (see the verifier);
// - least recently used goes first beyond `maxEntries`.
import type { CryptoKey } from 'jose'
import type { SigningAlgorithm } from '../../keys/signing-key.js'
import type { AccessTokenClaims } from '../access-token-claims.js'

/** What a verification established: the claims, and the key that checked the signature. */
export interface VerifiedToken {
  claims: AccessTokenClaims
  kid: string
  alg: SigningAlgorithm
  key: CryptoKey
}

interface Entry extends VerifiedToken {
  cachedAt: number
  /** `exp` in ms: the first moment the entry is no longer served. */
  expiresAt: number
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  get(tokenHash: string, now: number): VerifiedToken | undefined {
    const entry = this.#entries.get(tokenHash)
    if (!entry) return undefined
    if (now >= entry.expiresAt || now < entry.cachedAt) {
      this.#entries.delete(tokenHash)
      return undefined
    }
    // Re-insert so Map order stays least-recently-used first.
    this.#entries.delete(tokenHash)
    this.#entries.set(tokenHash, entry)
    return entry
  }

  set(tokenHash: string, verified: VerifiedToken, now: number): void {
    const expiresAt = verified.claims.exp * 1000
    // Verified inside the clock tolerance after `exp`: good this once, never from the cache.
    if (now >= expiresAt) return
    this.#entries.delete(tokenHash)
    this.#entries.set(tokenHash, { ...verified, cachedAt: now, expiresAt })
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
  }

  /** Forgets every token signed by `kid` (the ring no longer publishes it). */
  deleteKid(kid: string): void {
    for (const [tokenHash, entry] of this.#entries) if (entry.kid === kid) this.#entries.delete(tokenHash)
  }

  clear(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}
