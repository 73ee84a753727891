import { readFileSync } from 'node:fs'

/** Where the operator CLI finds the app's stores: the same settings the app uses. */
export interface CliConfig {
  redisUrl: string
  /** Key prefix of the stores (`prefix` of RedisSessionStore and RedisKeyStore). @default 'acme:auth:' */
  prefix: string
  /** The key-encryption secret(s) of the key ring, for `keys` commands. */
  keySecret: string | undefined
}

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Reads `--config <file.json>` (`{ "redisUrl", "prefix" }`) when given, then lets the environment
 * override: `REDIS_URL`, `ACME_AUTH_PREFIX`, and `ACME_AUTH_KEY_SECRET` (never in a file).
 */
export function loadCliConfig(configPath: string | undefined, env: NodeJS.ProcessEnv): CliConfig {
  let file: Partial<CliConfig> = {}
  if (configPath !== undefined) {
    try {
      file = JSON.parse(readFileSync(configPath, 'utf8')) as Partial<CliConfig>
    } catch (error) {
      throw new UsageError(`cannot read config file ${configPath}: ${(error as Error).message}`)
    }
  }
  const redisUrl = env.REDIS_URL ?? file.redisUrl
  if (typeof redisUrl !== 'string' || !/^rediss?:\/\//.test(redisUrl)) {
    throw new UsageError('no Redis configured: set REDIS_URL or "redisUrl" in --config')
  }
  const prefix = env.ACME_AUTH_PREFIX ?? file.prefix ?? 'acme:auth:'
  return { redisUrl, prefix, keySecret: env.ACME_AUTH_KEY_SECRET }
}
