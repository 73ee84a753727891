// Entry of '@acme/auth-core/redis': the Redis and Redis Cluster stores (Node only, needs ioredis).
export { redisCall, type RedisClient } from './redis-client.js'
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js'
export type { ReplicaWaitOptions } from './redis-replica-wait.js'
export { createRedisRateLimitStore, type RedisRateLimitStoreOptions } from './redis-rate-limit-store.js'
export { RedisOneTimeTokenStore, type RedisOneTimeTokenStoreOptions } from './redis-one-time-token-store.js'
export { RedisKeyStore, type RedisKeyStoreOptions } from './redis-key-store.js'
export { RedisRefreshStore, type RedisRefreshStoreOptions } from './redis-refresh-store.js'
export { RedisSecondFactorStore, type RedisSecondFactorStoreOptions } from './redis-second-factor-store.js'
