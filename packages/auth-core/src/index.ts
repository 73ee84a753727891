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
  createOneTimeTokens,
  type IssuedOneTimeToken,
  type OneTimeTokenPurpose,
  type OneTimeTokens,
  type OneTimeTokensOptions,
} from './one-time-tokens/one-time-tokens.js'
export {
  MemoryOneTimeTokenStore,
  type OneTimeTokenRecord,
  type OneTimeTokenStore,
} from './one-time-tokens/one-time-token-store.js'
export {
  createPasswordReset,
  type PasswordReset,
  type PasswordResetOptions,
  type PasswordResetRevokers,
} from './one-time-tokens/password-reset.js'
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
  type RefreshOutcome,
  type RevocationKind,
  type SignInOutcome,
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
export { parseRefreshToken, type RefreshTokenParts } from './refresh/refresh-token.js'
export type { RefreshedTokens } from './refresh/successor-seal.js'
export {
  createRefreshFamilies,
  type RefreshFamilies,
  type RefreshFamiliesOptions,
} from './refresh/refresh-families.js'
