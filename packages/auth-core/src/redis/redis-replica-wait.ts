import { AuthError } from '../errors.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import type { RedisClient } from './redis-client.js'

/**
 * The `waitForReplicas` option of the Redis session and refresh stores: after each revocation,
 * `WAIT <replicas> <timeoutMs>` on the connection that wrote it, so the revocation has reached a
 * replica before the store answers. Without it, a master that fails right after a revocation can
 * take it along (replication is asynchronous), and the promoted replica serves the session again.
 */
export interface ReplicaWaitOptions {
  /** How many replicas must acknowledge. @default 1 */
  replicas?: number
  /** How long to wait for them; below the store's `timeoutMs`. */
  timeoutMs: number
}

/** The checked option, or `undefined` when off. */
export function replicaWaitOption(value: unknown, storeTimeoutMs: number): Required<ReplicaWaitOptions> | undefined {
  if (value === undefined || value === false) return undefined
  const input = requireObject(value, 'options.waitForReplicas')
  const replicas = optionalNumber(input.replicas, 'options.waitForReplicas.replicas', 1, { min: 1, max: 16, integer: true })
  if (input.timeoutMs === undefined) throw new TypeError('options.waitForReplicas.timeoutMs is required')
  const timeoutMs = optionalNumber(input.timeoutMs, 'options.waitForReplicas.timeoutMs', 0, { min: 1, max: storeTimeoutMs - 1, integer: true })
  return { replicas, timeoutMs }
}

/**
 * `WAIT` on the node that holds `key` (a pipeline with a keyed command is sent to that key's
 * master, on the connection that made the write), failing with `ERR_STORE_UNAVAILABLE` when fewer
 * replicas than asked acknowledged in time: the master has the write, a replica may not.
 */
export async function waitForReplicas(client: RedisClient, key: string, wait: Required<ReplicaWaitOptions>): Promise<void> {
  const results = await client.pipeline().exists(key).call('wait', wait.replicas, wait.timeoutMs).exec()
  const [error, reply] = results?.[1] ?? [new Error('Redis WAIT got no reply'), null]
  if (error) throw error
  if (typeof reply !== 'number' || reply < wait.replicas) {
    throw new AuthError('ERR_STORE_UNAVAILABLE', `Redis WAIT: ${String(reply)} of ${wait.replicas} replicas acknowledged within ${wait.timeoutMs} ms`)
  }
}
