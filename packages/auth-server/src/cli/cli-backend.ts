import type { KeyStore, RateLimitStore, RefreshStore, SessionStore } from '@acme/auth-core'
import type { PostgresPool } from '@acme/auth-core/postgres'
import type { BackendTarget } from './cli-config.js'

/** The app's shared stores, as the CLI opens them for one command. */
export interface CliBackend {
  readonly kind: 'redis' | 'postgres'
  /** Where the stores live, for messages: `prefix acme:auth:` or `schema acme_auth`. */
  readonly where: string
  readonly sessions: SessionStore
  readonly refresh: RefreshStore
  readonly keys: KeyStore
  /** The store the app's login limiter counts in. */
  readonly rateLimits: RateLimitStore
  /** The PostgreSQL pool and schema, for `migrate` and `prune`; `undefined` on Redis. */
  readonly postgres: { pool: PostgresPool; schema: string } | undefined
  close(): Promise<void>
}

/**
 * Opens the stores of the configured backend. Each backend's driver is loaded only when used, so
 * an app on Redis needs no `pg` and an app on PostgreSQL needs no `ioredis`. With
 * `requireMigrated`, a PostgreSQL schema that was never migrated is refused with a clear message.
 */
export async function openBackend(target: BackendTarget, options: { requireMigrated: boolean }): Promise<CliBackend> {
  if (target.kind === 'postgres') {
    const { openPostgresBackend } = await import('./cli-postgres.js')
    return openPostgresBackend(target, options)
  }
  const { openRedisBackend } = await import('./cli-redis.js')
  return openRedisBackend(target)
}
