import type { Cluster, Redis } from 'ioredis'
import { AuthError } from '../errors.js'

/** What the Redis stores accept: a single Redis or a Redis Cluster client from ioredis. */
export type RedisClient = Redis | Cluster

/**
 * Runs one store operation and turns any connection or server failure into
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with a typed error (the server maps it to 503).
 */
export async function redisCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new AuthError('ERR_STORE_UNAVAILABLE', `Redis ${operation} failed`, { cause: error })
  }
}
