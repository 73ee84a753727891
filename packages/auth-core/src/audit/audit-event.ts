/** Why a sign-in failed. Shown to operators only; clients always get the same generic answer. */
export type LoginFailureReason = 'unknown_user' | 'bad_password' | 'locked' | 'rate_limited'

/** The catalogue of audit events. Every event core or server emits has one of these types. */
export type AuditEventType =
  | 'LOGIN_SUCCEEDED'
  | 'LOGIN_FAILED'
  | 'LOGOUT'
  | 'SESSION_CREATED'
  | 'SESSION_ROTATED'
  | 'SESSION_REVOKED'
  | 'SESSIONS_REVOKED_ALL'
  | 'REFRESH_ROTATED'
  | 'REFRESH_TOKEN_REUSE'
  | 'REFRESH_FAMILY_REVOKED'
  | 'KEY_ROTATED'
  | 'KEY_REMOVED'
  | 'PASSWORD_CHANGED'
  | 'PASSWORD_RESET_REQUESTED'
  | 'PASSWORD_RESET_COMPLETED'
  | 'AUTHZ_DENIED'
  /** Only when a policy hook is asked to record grants too (`auditPolicyDecisions({ allowed: true })`). */
  | 'AUTHZ_ALLOWED'
  | 'RATE_LIMITED'

/**
 * One audit event. It never holds a secret: a token appears only as `tokenFingerprint`
 * (see `fingerprint()`), a password never.
 */
export interface AuditEvent {
  type: AuditEventType
  /** ISO 8601 time from the injected clock. */
  at: string
  outcome: 'success' | 'failure'
  userId?: string
  sessionId?: string
  /** Refresh-token family, for REFRESH_* events. */
  familyId?: string
  requestId?: string
  /** Coarse client info, when the caller passed it. */
  ip?: string
  userAgent?: string
  reason?: string
  tokenFingerprint?: string
  /** Small extra facts (a kid, a count, an action name). */
  data?: Readonly<Record<string, string | number | boolean | null>>
}

/** Where audit events go. `emit` must not throw and must not block the request. */
export interface AuditSink {
  emit(event: AuditEvent): void
}

/** Drops every event: the default when the app configures no sink. */
export const noopAuditSink: AuditSink = Object.freeze({ emit: () => {} })
