export { AuthError, isAuthError, type AuthErrorCode } from './errors.js'
export { systemClock, type Clock } from './clock.js'
export { fingerprint, randomToken, sha256, timingSafeEqual } from './lib/crypto.js'
export {
  noopAuditSink,
  type AuditEvent,
  type AuditEventType,
  type AuditSink,
  type LoginFailureReason,
} from './audit/audit-event.js'
export {
  MAX_SESSION_DATA_BYTES,
  sessionExpiresAt,
  type JsonValue,
  type Session,
  type SessionData,
  type SessionMeta,
  type SessionRecord,
} from './sessions/session.js'
export type { SessionInvalidation, SessionPatch, SessionStore } from './sessions/session-store.js'
export { parseSessionToken, type SessionTokenParts } from './sessions/session-token.js'
export { MemorySessionStore } from './sessions/memory-session-store.js'
export {
  createSessionManager,
  type IssuedSession,
  type RequestContext,
  type SessionManager,
  type SessionManagerOptions,
  type ValidatedSession,
} from './sessions/session-manager.js'
