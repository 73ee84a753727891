import { readFileSync } from 'node:fs'
import * as v from 'valibot'

const redisUrl = v.pipe(v.string(), v.regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'))
const clusterNode = v.union(
  [
    v.pipe(
      v.string(),
      v.regex(/^[^\s:]+:\d{1,5}$/, 'must be "host:port"'),
      v.check((node) => Number(node.slice(node.lastIndexOf(':') + 1)) <= 65_535, 'has a port over 65535'),
    ),
    v.strictObject({
      host: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
      port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535)),
    }),
  ],
  'must be "host:port" or { "host", "port" }',
)
const seconds = v.pipe(v.number(), v.minValue(0))
const postgresUrl = v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL'))
const schemaName = v.pipe(
  v.string(),
  v.regex(/^[a-z_][a-z0-9_]{0,39}$/, 'must be a lower-case SQL identifier of at most 40 characters ([a-z_][a-z0-9_]*)'),
)
const keyPrefix = v.pipe(v.string(), v.regex(/^[^{}\s]+$/, 'must be a non-empty key prefix without braces or spaces'))

/** The `--config` / `ACME_AUTH_CONFIG` file: the same store and key-ring settings as the app. */
const fileSchema = v.strictObject({
  /** A URL, `{ "url" }`, or `{ "cluster": [nodes] }` (Redis Cluster). */
  redis: v.optional(
    v.union(
      [redisUrl, v.strictObject({ url: redisUrl }), v.strictObject({ cluster: v.pipe(v.array(clusterNode), v.minLength(1, 'must list at least one node')) })],
      'must be a redis:// URL, { "url": … } or { "cluster": ["host:port", …] }',
    ),
  ),
  /** The older spelling of `redis` as a URL. */
  redisUrl: v.optional(redisUrl),
  /** PostgreSQL instead of Redis: a URL or `{ "url", "schema"? }`. */
  postgres: v.optional(
    v.union(
      [postgresUrl, v.strictObject({ url: v.optional(postgresUrl), schema: v.optional(schemaName) })],
      'must be a postgres:// URL or { "url": …, "schema": … }',
    ),
  ),
  prefix: v.optional(keyPrefix),
  /** Key prefix of the rate-limit counters on Redis. @default `${prefix}rl:` */
  rateLimitPrefix: v.optional(keyPrefix),
  /** As `createKeyRing({ alg, rotation })` in the app. */
  keys: v.optional(
    v.strictObject({
      algorithm: v.optional(v.picklist(['EdDSA', 'ES256', 'RS256'], 'must be one of EdDSA, ES256, RS256')),
      rotation: v.optional(
        v.strictObject({
          intervalSeconds: v.optional(seconds),
          jwksMaxAgeSeconds: v.optional(seconds),
          promoteDelaySeconds: v.optional(seconds),
          retainSeconds: v.optional(seconds),
          refreshSeconds: v.optional(seconds),
        }),
      ),
    }),
  ),
})

/** What a config file may hold (see the server README's CLI section). */
export type CliConfigFile = v.InferInput<typeof fileSchema>

/** One Redis server or a Redis Cluster. */
export type RedisTarget = { kind: 'url'; url: string } | { kind: 'cluster'; nodes: readonly { host: string; port: number }[] }

/** The key-ring settings the CLI uses to rotate, as the app's `createKeyRing` options. */
export type CliKeySettings = NonNullable<v.InferOutput<typeof fileSchema>['keys']>

/** Where the stores live: Redis (one server or a cluster) under a key prefix, or a PostgreSQL schema. */
export type BackendTarget =
  | {
      kind: 'redis'
      redis: RedisTarget
      /** Key prefix of the stores (`prefix` of RedisSessionStore, RedisKeyStore, RedisRefreshStore). @default 'acme:auth:' */
      prefix: string
      /** `prefix` of createRedisRateLimitStore. @default `${prefix}rl:` */
      rateLimitPrefix: string
    }
  | { kind: 'postgres'; url: string; /** @default 'acme_auth' */ schema: string }

/** Where the operator CLI finds the app's stores: the same settings the app uses. */
export interface CliConfig {
  backend: BackendTarget
  /** The key-encryption secret(s) of the key ring, for `keys` commands (environment only). */
  keySecret: string | undefined
  /** `keys.algorithm` and `keys.rotation` of the file, when given. */
  keys: CliKeySettings | undefined
}

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** A failure the CLI reports as it is (exit 1), such as a schema that was never migrated. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
}

type ConfigFile = v.InferOutput<typeof fileSchema>

/**
 * Reads `--config <file.json>` (or the file named by `ACME_AUTH_CONFIG`) when given, validated,
 * then lets the environment override: `REDIS_URL`, `DATABASE_URL`, `ACME_AUTH_PREFIX`,
 * `ACME_AUTH_SCHEMA`, and `ACME_AUTH_KEY_SECRET` (never in a file). Exactly one backend must be
 * configured: a CLI that revoked in the wrong store would report success while nothing changed.
 */
export function loadCliConfig(configPath: string | undefined, env: NodeJS.ProcessEnv): CliConfig {
  const path = configPath ?? (env.ACME_AUTH_CONFIG || undefined)
  const file = path === undefined ? {} : readConfigFile(path)
  return { backend: backendTarget(file, env), keySecret: env.ACME_AUTH_KEY_SECRET || undefined, keys: file.keys }
}

function backendTarget(file: ConfigFile, env: NodeJS.ProcessEnv): BackendTarget {
  const redisFrom = env.REDIS_URL ? 'REDIS_URL' : (file.redis ?? file.redisUrl) !== undefined ? '"redis" in the config file' : undefined
  const postgresFrom = env.DATABASE_URL ? 'DATABASE_URL' : file.postgres !== undefined ? '"postgres" in the config file' : undefined
  if (redisFrom && postgresFrom) {
    throw new UsageError(`both ${redisFrom} and ${postgresFrom} are set: configure the one backend the app uses`)
  }
  if (postgresFrom) return postgresTarget(env, file.postgres)
  const redis = redisTarget(env.REDIS_URL || undefined, file)
  if (!redis) {
    throw new UsageError(
      'no store configured: set REDIS_URL or DATABASE_URL, or "redis" or "postgres" in the config file (--config or ACME_AUTH_CONFIG)',
    )
  }
  const prefix = env.ACME_AUTH_PREFIX || file.prefix || 'acme:auth:'
  return { kind: 'redis', redis, prefix, rateLimitPrefix: file.rateLimitPrefix ?? `${prefix}rl:` }
}

function postgresTarget(env: NodeJS.ProcessEnv, postgres: ConfigFile['postgres']): BackendTarget {
  const fromFile = typeof postgres === 'string' ? { url: postgres } : (postgres ?? {})
  const url = env.DATABASE_URL || fromFile.url
  if (url === undefined) throw new UsageError('"postgres" in the config file needs a "url" (or set DATABASE_URL)')
  if (!v.is(postgresUrl, url)) throw new UsageError('DATABASE_URL must be a postgres:// or postgresql:// URL')
  const schema = env.ACME_AUTH_SCHEMA || fromFile.schema || 'acme_auth'
  if (!v.is(schemaName, schema)) throw new UsageError('ACME_AUTH_SCHEMA must be a lower-case SQL identifier of at most 40 characters')
  return { kind: 'postgres', url, schema }
}

function readConfigFile(path: string): ConfigFile {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`)
  }
  const result = v.safeParse(fileSchema, json)
  if (!result.success) {
    const issue = result.issues[0]
    const at = v.getDotPath(issue)
    throw new UsageError(`config file ${path}: ${at ? `"${at}" ` : ''}${issue.message}`)
  }
  return result.output
}

function redisTarget(envUrl: string | undefined, file: ConfigFile): RedisTarget | undefined {
  if (envUrl !== undefined) {
    if (!v.is(redisUrl, envUrl)) throw new UsageError('REDIS_URL must be a redis:// or rediss:// URL')
    return { kind: 'url', url: envUrl }
  }
  const redis = file.redis ?? file.redisUrl
  if (redis === undefined) return undefined
  if (typeof redis === 'string') return { kind: 'url', url: redis }
  if ('url' in redis) return { kind: 'url', url: redis.url }
  return {
    kind: 'cluster',
    nodes: redis.cluster.map((node) => {
      if (typeof node !== 'string') return node
      const at = node.lastIndexOf(':')
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) }
    }),
  }
}
