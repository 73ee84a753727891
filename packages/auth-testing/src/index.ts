export { createTestClock, type TestClock } from './test-clock.js'
export { startRedisServer, type TestRedisServer } from './redis/redis-server.js'
export { startRedisCluster, type RedisClusterOptions, type TestRedisCluster, type TestRedisClusterNode, type TestRedisFailover } from './redis/redis-cluster.js'
export { dumpRedis, deleteRedisPrefix } from './conformance/redis-dump.js'
export { startPostgresServer, type TestPostgresServer, type TestPostgresServerOptions } from './postgres/postgres-server.js'
export { createTestPostgresSchema, type TestPostgresSchema, type TestPostgresSchemaOptions } from './postgres/test-postgres-schema.js'
export { startFakeUpstream, type FakeUpstream, type RecordedRequest, type UpstreamBehaviour } from './upstream/fake-upstream.js'
export {
  assertNoSecretsInRecordedAuditEvents,
  createRecordingAuditSink,
  findSecretsInAuditEvents,
  recordedAuditEvents,
  resetAuditRegistry,
  trackSecrets,
  type AuditSecretFinding,
  type RecordingAuditSink,
} from './recording-audit-sink.js'
export { createTestKeyRing, TEST_KEY_SECRET, type TestKeyRing, type TestKeyRingOptions } from './keys/test-key-ring.js'
export { createTestTokens, type TestTokenClaims, type TestTokenHeader, type TestTokens, type TestTokensOptions } from './tokens/test-tokens.js'
export { createTestUser, createTestUsers, type TestDirectoryUser, type TestUser, type TestUserCast, type TestUserOptions, type TestUserOverrides } from './users/test-user.js'
export { createTestUserDirectory, type StoredTestUser, type TestUserDirectory } from './users/test-user-directory.js'
export { signedInAgent, type AgentTarget, type IssuedTestSession, type SessionIssuer, type SignedInAgent, type SignedInAgentOptions } from './agent/signed-in-agent.js'
export { createTestRateLimitStore, type TestRateLimitStore } from './stores/test-rate-limit-store.js'
export { snapshotRefreshStore, type RefreshStoreSnapshot } from './stores/snapshot-refresh-store.js'
export { startTestIdP, type TestIdP, type TestIdPAccount, type TestIdPClient, type TestIdPLoginOptions, type TestIdPOptions } from './idp/test-idp.js'
export { createTotpCode } from './totp/totp-code.js'
export {
  createSoftwareAuthenticator,
  type AssertionOverrides,
  type SoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
  type SoftwareCredential,
} from './webauthn/software-authenticator.js'
export { startTestSmtpServer, type CapturedMail, type TestSmtpServer, type TestSmtpServerOptions } from './smtp/test-smtp-server.js'
