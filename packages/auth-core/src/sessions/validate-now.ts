import type { SessionManager, ValidatedSession } from './session-manager.js'
import type { SessionData } from './session.js'

/** What a session lookup answers: at once when no store round trip is needed, else a promise. */
export type Awaitable<T> = T | Promise<T>

/** A manager's synchronous-when-it-can validate, paired with the manager it belongs to. */
export interface ValidateNowHook {
  manager: SessionManager
  now(token: unknown): Awaitable<ValidatedSession | null>
}

/** Where `createSessionManager` keeps its hook (non-enumerable: a spread copy does not carry it). */
export const validateNowKey: unique symbol = Symbol.for('@acme/auth-core/session-manager/validate-now')

/**
 * `sessions.validate(token)`, answered without a promise when the session manager knows at once
 * (a cache hit, the memory store, no idle-expiry write due), so a protected request goes on in the
 * same tick. A manager `createSessionManager` did not make (a wrapper, a test double) is asked
 * through its `validate`. Throws where `validate` would reject.
 */
export function validateNow<Data extends SessionData = SessionData>(sessions: SessionManager<Data>, token: unknown): Awaitable<ValidatedSession<Data> | null> {
  const hook = (sessions as { [validateNowKey]?: ValidateNowHook })[validateNowKey]
  // A wrapper or a proxy that reaches the hook through its target is not that manager: ask it.
  if (hook?.manager !== sessions) return sessions.validate(token)
  return hook.now(token) as Awaitable<ValidatedSession<Data> | null>
}
