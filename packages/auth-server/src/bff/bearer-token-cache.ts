import { timingSafeEqual } from '@acme/auth-core'

/** A Bearer token and when it stops being valid (epoch ms). */
export interface BearerToken {
  token: string
  expiresAt: number
}

/**
 * Per-session Bearer tokens for the BFF: reused until shortly before they expire, and minted
 * single-flight, so N concurrent requests of one session (or N concurrent 401s) cause one mint.
 */
export class BearerTokenCache {
  readonly #tokens = new Map<string, BearerToken>()
  readonly #inFlight = new Map<string, Promise<BearerToken>>()
  readonly #maxEntries: number
  readonly #refreshAheadMs: number

  constructor(options: { maxEntries?: number; refreshAheadMs?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 50_000
    this.#refreshAheadMs = options.refreshAheadMs ?? 30_000
  }

  /**
   * The session's token: the cached one unless it is close to expiry, or `rejected` (the token the
   * upstream just refused: only that one is replaced, so concurrent 401s share one fresh token).
   */
  get(sessionId: string, now: number, mint: () => Promise<BearerToken>, rejected?: string): Promise<BearerToken> {
    const cached = this.#tokens.get(sessionId)
    if (cached && (rejected === undefined || !timingSafeEqual(cached.token, rejected)) && cached.expiresAt - this.#refreshAheadMs > now) return Promise.resolve(cached)
    return this.#mint(sessionId, mint)
  }

  /** The session's token when a usable one is cached (the usual request: nothing to wait for). */
  peek(sessionId: string, now: number): BearerToken | undefined {
    const cached = this.#tokens.get(sessionId)
    return cached && cached.expiresAt - this.#refreshAheadMs > now ? cached : undefined
  }

  #mint(sessionId: string, mint: () => Promise<BearerToken>): Promise<BearerToken> {
    const pending = this.#inFlight.get(sessionId)
    if (pending) return pending
    const minting = mint().then(
      (fresh) => {
        this.#inFlight.delete(sessionId)
        this.#tokens.delete(sessionId)
        this.#tokens.set(sessionId, fresh)
        if (this.#tokens.size > this.#maxEntries) {
          const oldest = this.#tokens.keys().next()
          if (!oldest.done) this.#tokens.delete(oldest.value)
        }
        return fresh
      },
      (error: unknown) => {
        this.#inFlight.delete(sessionId)
        throw error
      },
    )
    this.#inFlight.set(sessionId, minting)
    return minting
  }

  /** Forgets a session's token (sign-out, revocation). */
  drop(sessionId: string): void {
    this.#tokens.delete(sessionId)
  }
}
