import type { RateLimitCounter, RateLimitStore } from '../rate-limit/rate-limit-store.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { redisCall, type RedisClient } from './redis-client.js'

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** An ioredis `Redis` or `Cluster`. */
  client: RedisClient
  /** Prefix of every key. No braces. @default 'acme:auth:rl:' */
  prefix?: string
  /** An operation that has not answered by then fails with ERR_STORE_UNAVAILABLE. @default 1000 */
  timeoutMs?: number
}

// One key per counter (a hash: v = value, e = window end in the CALLER's clock, '' = never), so
// every script touches one key and runs on Redis Cluster. Redis's own TTL only garbage-collects:
// the deadline that counts is `e`, compared with the `now` the limiter passes, so a test clock
// drives Redis exactly as it drives memory.
const addScript = `
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[2])
local cur = redis.call('HMGET', KEYS[1], 'v', 'e')
local value = tonumber(ARGV[1])
local expires = ''
local live = cur[1] and (cur[2] == '' or tonumber(cur[2]) > now)
if ARGV[4] ~= '1' and live then
  value = tonumber(cur[1]) + value
  expires = cur[2]
elseif window > 0 then
  expires = string.format('%d', now + window)
end
redis.call('HSET', KEYS[1], 'v', string.format('%d', value), 'e', expires)
if expires == '' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(expires) - now)) end
return {string.format('%d', value), expires}
`

const getScript = `
local cur = redis.call('HMGET', KEYS[1], 'v', 'e')
if not cur[1] then return nil end
if cur[2] ~= '' and tonumber(cur[2]) <= tonumber(ARGV[1]) then return nil end
return {cur[1], cur[2]}
`

interface RateLimitCommands {
  acmeRateLimitAdd(key: string, points: number, windowMs: number, now: number, replace: string): Promise<[string, string]>
  acmeRateLimitGet(key: string, now: number): Promise<[string, string] | null>
}

const toCounter = ([value, expires]: [string, string]): RateLimitCounter => ({
  value: Number(value),
  expiresAt: expires === '' ? null : Number(expires),
})

/**
 * Rate-limit counters in Redis or Redis Cluster, for `createLoginLimiter({ store })` when several
 * instances must share limits. Each operation is one Lua script on one key.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createLoginLimiter } from '@acme/auth-core'
 * import { createRedisRateLimitStore } from '@acme/auth-core/redis'
 *
 * const limiter = createLoginLimiter({ store: createRedisRateLimitStore({ client: new Redis(process.env.REDIS_URL!) }) })
 * ```
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const input = requireObject(options, 'options')
  if (typeof (input.client as { defineCommand?: unknown } | undefined)?.defineCommand !== 'function') {
    throw new TypeError('options.client must be an ioredis Redis or Cluster client')
  }
  const prefix = input.prefix ?? 'acme:auth:rl:'
  if (typeof prefix !== 'string' || /[{}]/.test(prefix) || prefix.length > 64) {
    throw new TypeError('options.prefix must be a string of at most 64 characters without { or }')
  }
  const timeoutMs = optionalNumber(input.timeoutMs, 'options.timeoutMs', 1000, { min: 1, max: 60_000 })
  const client = options.client
  client.defineCommand('acmeRateLimitAdd', { lua: addScript, numberOfKeys: 1 })
  client.defineCommand('acmeRateLimitGet', { lua: getScript, numberOfKeys: 1 })
  const commands = client as unknown as RateLimitCommands
  const key = (name: string) => `${prefix}${name}`

  return Object.freeze({
    async add(name: string, points: number, windowMs: number, now: number, replace: boolean) {
      const reply = await redisCall(
        'rate-limit add',
        () => commands.acmeRateLimitAdd(key(name), points, windowMs, now, replace ? '1' : '0'),
        timeoutMs,
      )
      return toCounter(reply)
    },
    async get(name: string, now: number) {
      const reply = await redisCall('rate-limit get', () => commands.acmeRateLimitGet(key(name), now), timeoutMs)
      return reply === null ? null : toCounter(reply)
    },
    async delete(name: string) {
      return (await redisCall('rate-limit delete', () => client.del(key(name)), timeoutMs)) === 1
    },
  })
}
