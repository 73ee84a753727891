import type { SessionRecord } from './session.js'

/** The fields an update may change. */
export type SessionPatch = Partial<
  Pick<SessionRecord, 'secretHash' | 'lastSeenAt' | 'idleExpiresAt' | 'authLevel' | 'authenticatedAt' | 'data'>
>

/** Ids whose cached copies are stale on every instance, or `'all'` when notices may have been lost. */
export type SessionInvalidation = readonly string[] | 'all'

/**
 * Where sessions live. Domain operations, each atomic; every time-dependent operation is given
 * `now` by the manager, so a store never reads a clock of its own.
 *
 * Run `runSessionStoreConformance()` from `@acme/auth-testing` against any implementation.
 */
export interface SessionStore {
  /** A new session id for this user. Optional: lets a store group a user's keys (Redis Cluster slots). */
  createId?(userId: string): string
  /** Stores a new session. Expired records must disappear by themselves eventually. */
  create(record: SessionRecord, now: number): Promise<void>
  /** The record, or `null` when it is unknown or already expired at `now`. */
  get(id: string, now: number): Promise<SessionRecord | null>
  /**
   * Applies `patch` if the session exists and, when `expectedSecretHash` is given, still has that
   * hash (compare-and-set, for rotation). Returns whether it applied.
   */
  update(id: string, patch: SessionPatch, now: number, expectedSecretHash?: string): Promise<boolean>
  /** Deletes one session (only if it belongs to `userId`, when given). Returns whether it existed. */
  delete(id: string, userId?: string): Promise<boolean>
  /** Deletes every session of a user except `exceptId`. Returns the ids it deleted. */
  deleteAllForUser(userId: string, exceptId?: string): Promise<string[]>
  /** The user's live sessions at `now`. */
  listForUser(userId: string, now: number): Promise<SessionRecord[]>
  /**
   * Subscribes to invalidations from every instance that shares this store (revocations,
   * rotations). Stores that cannot tell other instances leave it out, and then managers refuse to
   * cache. Returns an unsubscribe function.
   */
  onInvalidate?(listener: (invalidation: SessionInvalidation) => void): () => void
  /**
   * Whether invalidation notices are being received right now. While it answers `false` (the
   * subscriber connection is down, or its subscription is not yet acknowledged), a manager with a
   * cache reads the store on every lookup. Leave it out when notices cannot be lost.
   */
  invalidationsLive?(): boolean
}
