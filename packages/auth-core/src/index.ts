export { AuthError, isAuthError, type AuthErrorCode } from './errors.js'
export { systemClock, type Clock } from './clock.js'
export { timingSafeEqual } from './lib/crypto.js'
export {
  noopAuditSink,
  type AuditEvent,
  type AuditEventType,
  type AuditSink,
  type LoginFailureReason,
} from './audit/audit-event.js'
export {
  MAX_SESSION_DATA_BYTES,
  sessionAmr,
  sessionExpiresAt,
  sessionFactors,
  sessionRoles,
  SESSION_AMR_KEY,
  SESSION_FACTORS_KEY,
  SESSION_ROLES_KEY,
  type SessionFactor,
  type JsonValue,
  type Session,
  type SessionData,
  type SessionMeta,
  type SessionRecord,
} from './sessions/session.js'
export type { SessionInvalidation, SessionPatch, SessionStore } from './sessions/session-store.js'
export type { SessionInfo, SessionPayload, SessionUser } from './sessions/session-payload.js'
export { MemorySessionStore } from './sessions/memory-session-store.js'
export { isFreshAuthentication } from './sessions/freshness.js'
export {
  createSessionManager,
  type IssuedSession,
  type RequestContext,
  type SessionChanges,
  type SessionEnd,
  type SessionEndListener,
  type SessionEndReason,
  type SessionManager,
  type SessionManagerOptions,
  type ValidatedSession,
} from './sessions/session-manager.js'
export {
  createPasswordPolicy,
  type PasswordPolicy,
  type PasswordPolicyOptions,
  type PasswordPolicyResult,
  type PasswordPolicyViolation,
} from './passwords/password-policy.js'
export { MAX_PASSWORD_LENGTH, normalizePassword, type PasswordHasher } from './passwords/password-hasher.js'
export {
  createOfflineBreachedPasswords,
  createPwnedPasswordsRange,
  isPasswordBreached,
  type BreachedPasswordSource,
} from './passwords/breached-passwords.js'
export {
  createPasswordVerifier,
  type PasswordAccount,
  type PasswordVerification,
  type PasswordVerifier,
} from './passwords/password-verifier.js'
export {
  createPasswordSignIn,
  type PasswordSignIn,
  type PasswordSignInOptions,
  type PasswordSignInResult,
  type PasswordSignInUsers,
} from './passwords/password-sign-in.js'
export {
  createLoginLimiter,
  type AccountLimitOptions,
  type CountLimitOptions,
  type LoginAttemptKey,
  type LoginLimit,
  type LoginLimitDecision,
  type LoginLimiter,
  type LoginLimiterOptions,
} from './rate-limit/login-limiter.js'
export { MemoryRateLimitStore, type RateLimitCounter, type RateLimitStore } from './rate-limit/rate-limit-store.js'
export {
  createRequestLimiter,
  type RequestLimitDecision,
  type RequestLimiter,
  type RequestLimiterOptions,
} from './rate-limit/request-limiter.js'
export {
  createOneTimeTokens,
  type IssuedOneTimeToken,
  type OneTimeTokenPurpose,
  type OneTimeTokens,
  type OneTimeTokensOptions,
} from './one-time-tokens/one-time-tokens.js'
export {
  MemoryOneTimeTokenStore,
  type MemoryOneTimeTokenStoreOptions,
  type OneTimeTokenRecord,
  type OneTimeTokenStore,
} from './one-time-tokens/one-time-token-store.js'
export {
  createPasswordReset,
  type PasswordReset,
  type PasswordResetOptions,
  type PasswordResetRevokers,
} from './one-time-tokens/password-reset.js'
export { createOutboxMailer, type MailMessage, type Mailer, type OutboxMailer, type OutboxMessage } from './mail/mailer.js'
export { defaultMailTemplates, type MailContext, type MailTemplates } from './mail/mail-templates.js'
export {
  definePolicies,
  hasRole,
  PolicyDeniedError,
  type DefinePoliciesOptions,
  type Policies,
  type PolicyDecision,
  type PolicyDecisionRecord,
  type PolicyResourceArgs,
  type PolicyResult,
  type PolicyRule,
  type PolicySubject,
  type PolicySubjectOf,
} from './policies/policies.js'
export { auditPolicyDecisions } from './policies/policy-audit.js'
export { createJsonLinesAuditSink, type JsonLinesAuditSinkOptions, type PinoLevel } from './audit/json-lines-audit-sink.js'
export {
  AUTH_METRIC_NAMES,
  createAuthMetrics,
  type AuthMetrics,
  type MailKind,
  type AccountFlow,
  type CsrfCheck,
  type MfaMethod,
  type MfaOutcome,
  type RateLimitName,
  type RefreshOutcome,
  type RevocationKind,
  type RevocationListenerStore,
  type RevocationReason,
  type SignInOutcome,
  type StoreName,
  type UpstreamOutcome,
} from './metrics/auth-metrics.js'
export {
  SIGNING_ALGORITHMS,
  keyStatusAt,
  type KeyRingState,
  type KeyStatus,
  type PublicJwk,
  type SigningAlgorithm,
  type SigningKeyInfo,
  type StoredSigningKey,
} from './keys/signing-key.js'
export type { KeyStore } from './keys/key-store.js'
export { MemoryKeyStore } from './keys/memory-key-store.js'
export {
  createKeyRing,
  type KeyRing,
  type KeyRingOptions,
  type RotateKeyOptions,
  type SigningKey,
  type VerificationKey,
} from './keys/key-ring.js'
export type { AccessTokenClaims, AccessTokenInput, IssuedAccessToken } from './tokens/access-token-claims.js'
export {
  createAccessTokens,
  MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
  type AccessTokens,
  type AccessTokensOptions,
} from './tokens/access-tokens.js'
export {
  createAccessTokenVerifier,
  type AccessTokenVerifier,
  type AccessTokenVerifierCacheOptions,
  type AccessTokenVerifierOptions,
} from './tokens/access-token-verifier.js'
export {
  createRemoteJwksVerifier,
  type FetchLike,
  type RemoteJwksVerifier,
  type RemoteJwksVerifierOptions,
} from './tokens/remote-jwks-verifier.js'
export type { JwtClaimError } from './tokens/lib/jwt-errors.js'
export type {
  RefreshFamilyRecord,
  RefreshGrant,
  RefreshStore,
  RefreshTokenRecord,
  RotateOutcome,
  RotateRequest,
} from './refresh/refresh-store.js'
export { MemoryRefreshStore } from './refresh/memory-refresh-store.js'
export type { RefreshedTokens } from './refresh/successor-seal.js'
export {
  createRefreshFamilies,
  type RefreshFamilies,
  type RefreshFamiliesOptions,
  type RefreshTokenOwner,
} from './refresh/refresh-families.js'
export type {
  CompletedFactor,
  PasskeyRecord,
  PasskeyUse,
  PendingMfaRecord,
  SecondFactorStore,
  TotpFactorRecord,
  TrustedDeviceRecord,
} from './factors/second-factor-store.js'
export { MemorySecondFactorStore } from './factors/memory-second-factor-store.js'
export type { FactorCheck, FactorFailureReason, SecondFactorMethod } from './factors/factor-check.js'
export { createFactorLimiter, type FactorLimitDecision, type FactorLimiter, type FactorLimiterOptions } from './factors/factor-limiter.js'
export { createTotp, TOTP_PERIOD_SECONDS, type Totp, type TotpEnrollment, type TotpOptions } from './factors/totp.js'
export { createRecoveryCodes, RECOVERY_CODE_COUNT, type RecoveryCodes, type RecoveryCodesOptions } from './factors/recovery-codes.js'
export { firstFactorLevel, type AuthMethodReference, type FirstFactor } from './factors/auth-methods.js'
export {
  createMfaGate,
  MFA_PENDING_MAX_ATTEMPTS,
  MFA_PENDING_TTL_SECONDS,
  type DeviceCookieVerdict,
  type MfaChallengeContext,
  type MfaGate,
  type MfaGateDecision,
  type MfaGateOptions,
  type MfaSessionMeta,
  type MfaVerification,
  type MfaVerifyFailureReason,
} from './factors/mfa-gate.js'
export {
  createTrustedDevices,
  TRUSTED_DEVICE_DEFAULT_DAYS,
  type TrustedDevice,
  type TrustedDeviceForgetReason,
  type TrustedDevices,
  type TrustedDevicesOptions,
} from './factors/trusted-devices.js'
export { deviceLabel } from './factors/lib/device-label.js'
