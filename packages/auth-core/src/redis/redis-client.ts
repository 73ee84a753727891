import type { Cluster, Redis } from 'ioredis'
import { AuthError } from '../errors.js'

/** What the Redis stores accept: a single Redis or a Redis Cluster client from ioredis. */
export type RedisClient = Redis | Cluster

/**
 * Runs one store operation and turns any connection or server failure into
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with a typed error (the server maps it to 503).
 * With `timeoutMs`, an operation that has not answered by then fails the same way instead of
 * hanging the request (ioredis queues commands while it reconnects).
 */
export async function redisCall<T>(operation: string, run: () => Promise<T>, timeoutMs?: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    if (timeoutMs === undefined) return await run()
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
    })
    return await Promise.race([run(), timeout])
  } catch (error) {
    throw new AuthError('ERR_STORE_UNAVAILABLE', `Redis ${operation} failed`, { cause: error })
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}
