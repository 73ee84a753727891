/** What a family's access tokens carry besides `sub` and `sid` (stored so rotation can re-issue). */
export interface RefreshGrant {
  roles: string[]
  scope?: string
  aud?: string | string[]
  /** Seconds since the epoch: when the user authenticated (kept across rotations). */
  authTime?: number
  acr?: string
  /** RFC 8176 `amr` of the sign-in (kept across rotations). */
  amr?: string[]
}

/** One refresh-token family: a session or grant, and the chain of tokens rotated within it. */
export interface RefreshFamilyRecord {
  id: string
  userId: string
  sessionId: string
  grant: RefreshGrant
  status: 'active' | 'revoked'
  createdAt: number
  lastUsedAt: number
  /** Sliding: moves forward on each rotation, never past `absoluteExpiresAt`. */
  idleExpiresAt: number
  absoluteExpiresAt: number
  /** The one token of the family that may rotate. */
  currentTokenId: string
  revokedAt: number | null
  revokedReason: string | null
}

/** One token of a family. Only a hash of its secret is stored. */
export interface RefreshTokenRecord {
  id: string
  familyId: string
  secretHash: string
  status: 'current' | 'rotated'
  createdAt: number
  rotatedAt: number | null
  successorId: string | null
  /** The successor's token pair, encrypted under a key derived from THIS token's secret (for the grace window). */
  sealedSuccessor: string | null
}

/** One atomic rotation attempt (compare-and-set on the token's status). */
export interface RotateRequest {
  tokenId: string
  secretHash: string
  now: number
  /** A rotated token presented within this many ms of its rotation may get its successor back. */
  graceMs: number
  /** When the caller's request arrived: a rotation after it was concurrent with it, never theft. */
  concurrentSince: number
  /** The new token (status `current`), or `null` when the caller saw the token was no longer current. */
  successor: RefreshTokenRecord | null
  /** Sealed with the presented token's secret: stored on the presented token for replay. */
  sealedSuccessor: string | null
  /** The family's new idle expiry when the rotation happens. */
  idleExpiresAt: number
}

/**
 * What a rotation attempt found. `reused` means the store has revoked the family in the same
 * atomic step (`revokedNow` false when it already was).
 */
export type RotateOutcome =
  | { kind: 'rotated'; family: RefreshFamilyRecord }
  | { kind: 'replayed'; family: RefreshFamilyRecord; sealedSuccessor: string }
  | { kind: 'reused'; family: RefreshFamilyRecord; reason: 'rotated' | 'revoked'; revokedNow: boolean }
  | { kind: 'expired'; family: RefreshFamilyRecord }
  | { kind: 'invalid' }

/**
 * Where refresh families live. Every method is one atomic operation; `rotate` is the
 * compare-and-set that guarantees one successor per token, whatever crashes or races happen.
 * Implementations: {@link MemoryRefreshStore} and `RedisRefreshStore` (`@acme/auth-core/redis`).
 */
export interface RefreshStore {
  /** Stores a new family and its first token. */
  create(family: RefreshFamilyRecord, first: RefreshTokenRecord): Promise<void>
  /** A token and its family, or `null` when either is unknown (or gone after expiry). */
  find(tokenId: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | null>
  rotate(request: RotateRequest): Promise<RotateOutcome>
  /** Revokes a family; returns it when this call revoked it, `null` when unknown or already revoked. */
  revokeFamily(familyId: string, now: number, reason: string): Promise<RefreshFamilyRecord | null>
  /** Revokes every live family of a user; returns those this call revoked. */
  revokeAllForUser(userId: string, now: number, reason: string): Promise<RefreshFamilyRecord[]>
  /**
   * Sets `grant.roles` of every live (active, unexpired at `now`) family of a user, atomically,
   * so the next rotation mints with them. Returns how many families it rewrote.
   */
  updateRolesForUser(userId: string, roles: readonly string[], now: number): Promise<number>
  /** Takes the lock `name` (a token id) for `ttlMs`; a token to release it, or `null` when held. */
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  /** Releases the lock if `token` still holds it (compare-and-delete). */
  releaseLock(name: string, token: string): Promise<void>
}
