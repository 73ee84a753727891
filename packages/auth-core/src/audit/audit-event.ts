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
  /** A user's roles changed: their sessions and refresh families now carry the new ones. */
  | 'ROLES_UPDATED'
  | 'REFRESH_ROTATED'
  | 'REFRESH_TOKEN_REUSE'
  | 'REFRESH_FAMILY_REVOKED'
  | 'KEY_ROTATED'
  | 'KEY_REMOVED'
  | 'PASSWORD_CHANGED'
  | 'PASSWORD_RESET_REQUESTED'
  | 'PASSWORD_RESET_COMPLETED'
  /** A new account (`POST /signup`); a sign-up for a taken address is not an account and is not recorded as one. */
  | 'ACCOUNT_CREATED'
  /** A verification link was issued and handed to the mailer. */
  | 'EMAIL_VERIFICATION_SENT'
  /** A verification link was used (success) or refused (failure: bad, used or expired). */
  | 'EMAIL_VERIFIED'
  /** A sign-in method was unlinked from an account (`data.provider`). */
  | 'ACCOUNT_UNLINKED'
  /** The account was deleted, with its sessions, refresh families and one-time tokens. */
  | 'ACCOUNT_DELETED'
  /** An email change was asked for (a link or code mailed to the new address; never the address itself in the event). */
  | 'EMAIL_CHANGE_REQUESTED'
  /** The new address was confirmed and the account moved to it (failure: taken meanwhile). */
  | 'EMAIL_CHANGED'
  | 'AUTHZ_DENIED'
  /** Only when a policy hook is asked to record grants too (`auditPolicyDecisions({ allowed: true })`). */
  | 'AUTHZ_ALLOWED'
  | 'RATE_LIMITED'
  /** A second factor was enrolled (`data.method`: `totp`, `passkey`). */
  | 'MFA_ENROLLED'
  /** A second factor was removed (`data.method`). */
  | 'MFA_REMOVED'
  /** A sign-in with a factor enrolled now waits for the second factor (`data.methods`). */
  | 'MFA_CHALLENGED'
  /** A second-factor code or assertion was accepted (`data.method`). */
  | 'MFA_VERIFIED'
  /** A second-factor answer was refused (`reason`: `invalid`, `replayed`, `rate_limited`, …; `data.method`). */
  | 'MFA_FAILED'
  /** A recovery code was used up (`data.remaining`): worth a mail to the user. */
  | 'RECOVERY_CODE_USED'
  /** New recovery codes replaced the old ones. */
  | 'RECOVERY_CODES_GENERATED'
  /** A browser was remembered after a second factor ("remember this device"; `data.deviceId`, `data.days`). */
  | 'MFA_DEVICE_TRUSTED'
  /** Trusted devices were forgotten (`reason`: `user`, `logout_all`, `password_reset`, …; `data.count`). */
  | 'MFA_DEVICE_FORGOTTEN'

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
