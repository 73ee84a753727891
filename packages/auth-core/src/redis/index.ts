// Entry of '@acme/auth-core/redis'. Filled by the Redis stores.
export { redisCall, type RedisClient } from './redis-client.js'
