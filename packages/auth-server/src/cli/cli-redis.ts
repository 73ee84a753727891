import { AuthError } from '@acme/auth-core'
import { createRedisRateLimitStore, RedisKeyStore, RedisRefreshStore, RedisSessionStore, type RedisClient } from '@acme/auth-core/redis'
import { Cluster, Redis } from 'ioredis'
import type { CliBackend } from './cli-backend.js'
import type { BackendTarget, RedisTarget } from './cli-config.js'

/**
 * Connects to one Redis or a Redis Cluster for one command: fail fast (no offline queue, no
 * reconnect), since an operator would rather see "unavailable" than a command that hangs.
 */
export async function connectRedis(target: RedisTarget): Promise<RedisClient> {
  const client: RedisClient =
    target.kind === 'url'
      ? new Redis(target.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null })
      : new Cluster(
          target.nodes.map((node) => ({ ...node })),
          { lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: () => null, redisOptions: { maxRetriesPerRequest: 1 } },
        )
  // Without retries, connect() rejects with "Connection is closed."; the socket's own error
  // (ECONNREFUSED, ENOTFOUND, a TLS failure) arrives as an 'error' event: keep it as the cause.
  let socketError: unknown
  client.on('error', (error) => {
    socketError ??= error
  })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw new AuthError('ERR_STORE_UNAVAILABLE', 'Redis is unreachable', { cause: socketError ?? error })
  }
  return client
}

/** The app's stores on Redis, with the app's key prefixes. */
export async function openRedisBackend(target: Extract<BackendTarget, { kind: 'redis' }>): Promise<CliBackend> {
  const client = await connectRedis(target.redis)
  const { prefix } = target
  return {
    kind: 'redis',
    where: `prefix ${prefix}`,
    sessions: new RedisSessionStore({ client, prefix }),
    refresh: new RedisRefreshStore({ client, prefix }),
    keys: new RedisKeyStore({ client, prefix }),
    rateLimits: createRedisRateLimitStore({ client, prefix: target.rateLimitPrefix }),
    postgres: undefined,
    close: () => {
      client.disconnect()
      return Promise.resolve()
    },
  }
}
