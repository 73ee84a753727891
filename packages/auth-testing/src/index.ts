export { createTestClock, type TestClock } from './test-clock.js'
export { startRedisServer, type TestRedisServer } from './redis/redis-server.js'
export { startRedisCluster, type TestRedisCluster } from './redis/redis-cluster.js'
export { dumpRedis, deleteRedisPrefix } from './conformance/redis-dump.js'
