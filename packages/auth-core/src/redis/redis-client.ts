import type { Cluster, Redis } from 'ioredis'
import { AuthError } from '../errors.js'
import { attempt } from '../lib/attempt.js'

/** What the Redis stores accept: a single Redis or a Redis Cluster client from ioredis. */
export type RedisClient = Redis | Cluster

/**
 * Runs one store operation and turns any connection or server failure into
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with a typed error (the server maps it to 503).
 * With `timeoutMs`, an operation that has not answered by then fails the same way instead of
 * hanging the request (ioredis queues commands while it reconnects). Every uncached session check
 * comes through here, so it settles one promise of its own (no `Promise.race`, no async frame).
 */
export function redisCall<T>(operation: string, run: () => Promise<T>, timeoutMs?: number): Promise<T> {
  const unavailable = (cause: unknown) => new AuthError('ERR_STORE_UNAVAILABLE', `Redis ${operation} failed`, { cause })
  const pending = attempt(run)
  if (timeoutMs === undefined) {
    return pending.then(undefined, (error: unknown) => {
      throw unavailable(error)
    })
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(new Error(`timed out after ${timeoutMs} ms`))), timeoutMs)
    pending.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(unavailable(error))
      },
    )
  })
}

/** The `prefix` option of every Redis store: no braces (they would change the hash slot). */
export function validatePrefix(value: unknown): string {
  const prefix = value ?? 'acme:auth:'
  if (typeof prefix !== 'string' || /[{}]/.test(prefix) || prefix.length > 64) {
    throw new TypeError('options.prefix must be a string of at most 64 characters without { or }')
  }
  return prefix
}

/** The `client` option of every Redis store: an ioredis Redis or Cluster. */
export function requireRedisClient(value: unknown): RedisClient {
  if (typeof (value as { defineCommand?: unknown } | undefined)?.defineCommand !== 'function') {
    throw new TypeError('options.client must be an ioredis Redis or Cluster client')
  }
  return value as RedisClient
}
