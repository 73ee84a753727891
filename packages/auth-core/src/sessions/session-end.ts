/**
 * Why a session ended, as session-end listeners are told:
 * - `'revoked'`: `revoke()` deleted it (sign-out, a device list, sign-in replacing the old session,
 *   an account that is gone, an admin page);
 * - `'revoked-all'`: `revokeAllForUser()` deleted it (sign-out everywhere, password change);
 * - `'expired'`: `validate()` or `rotate()` met it past its idle or absolute expiry (seen on a
 *   cached copy or a store that still returned it; a store that drops expired records itself
 *   reports nothing, so listeners must not be the only thing that cleans up).
 */
export type SessionEndReason = 'revoked' | 'revoked-all' | 'expired'

/** One ended session. `userId` is there when the manager knew it (always, except `revoke()` without `userId`). */
export interface SessionEnd {
  sessionId: string
  userId?: string
  reason: SessionEndReason
}

/**
 * Called after a session ended in THIS process. It may be async; the call that ended the session
 * waits for it, and what it throws or rejects with is swallowed (catch your own errors to see them).
 */
export type SessionEndListener = (ended: SessionEnd) => void | Promise<void>

/** The listeners of one session manager. Internal. */
export interface SessionEndListeners {
  add(listener: SessionEndListener): () => void
  /** Calls every listener; never rejects. */
  notify(ended: SessionEnd): Promise<void>
}

export function createSessionEndListeners(): SessionEndListeners {
  // One entry per subscription, so the same function subscribed twice unsubscribes independently.
  const entries = new Set<{ listener: SessionEndListener }>()
  return {
    add(listener) {
      if (typeof listener !== 'function') throw new TypeError('onEnd: listener must be a function')
      const entry = { listener }
      entries.add(entry)
      return () => {
        entries.delete(entry)
      }
    },
    async notify(ended) {
      if (entries.size === 0) return
      const event = Object.freeze({ ...ended })
      await Promise.allSettled(
        [...entries].map(async (entry) => {
          await entry.listener(event)
        }),
      )
    },
  }
}
