export { createTestClock, type TestClock } from './test-clock.js'
export { startRedisServer, type TestRedisServer } from './redis/redis-server.js'
export { startRedisCluster, type TestRedisCluster } from './redis/redis-cluster.js'
export { dumpRedis, deleteRedisPrefix } from './conformance/redis-dump.js'
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
