import type { SessionEnd, SessionEndListener, SessionManager } from '@acme/auth-core'

/**
 * Subscribes `listener` to the session manager's ends. Failures are reported by the error's name
 * only (a message could carry a token or an address) and never reach the code that ended the session.
 */
export function subscribeSessionEnd(sessions: SessionManager, listener: SessionEndListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('auth.onSessionEnd: listener must be a function')
  if (typeof (sessions as Partial<SessionManager>).onEnd !== 'function') {
    throw new TypeError('auth.onSessionEnd needs a session manager with onEnd() (createSessionManager from @acme/auth-core)')
  }
  return sessions.onEnd(async (ended: SessionEnd) => {
    try {
      await listener(ended)
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error
      console.warn(`[acme-auth] a session-end listener failed (${ended.reason}): ${name}`)
    }
  })
}
