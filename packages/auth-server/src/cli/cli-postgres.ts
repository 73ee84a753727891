import {
  createPostgresRateLimitStore,
  postgresCall,
  PostgresKeyStore,
  PostgresRefreshStore,
  PostgresSessionStore,
  type PostgresPool,
} from '@acme/auth-core/postgres'
import type { Pool } from 'pg'
import type { CliBackend } from './cli-backend.js'
import { CliFailure, type BackendTarget } from './cli-config.js'

/**
 * The app's stores in a PostgreSQL schema, on a small pool of its own that gives up on a
 * connection after 5 s (an operator would rather see "unavailable" than a command that hangs).
 */
export async function openPostgresBackend(
  target: Extract<BackendTarget, { kind: 'postgres' }>,
  options: { requireMigrated: boolean },
): Promise<CliBackend> {
  const module = (await import('pg')) as unknown as { default?: { Pool: typeof Pool }; Pool?: typeof Pool }
  const PoolClass = module.default?.Pool ?? module.Pool!
  const pool = new PoolClass({ connectionString: target.url, max: 2, connectionTimeoutMillis: 5_000, application_name: 'acme-auth-cli' })
  pool.on('error', () => {})
  const { schema } = target
  const close = () => pool.end()
  try {
    if (options.requireMigrated) await requireMigrated(pool, schema)
  } catch (error) {
    await close()
    throw error
  }
  return {
    kind: 'postgres',
    where: `schema ${schema}`,
    sessions: new PostgresSessionStore({ pool, schema }),
    refresh: new PostgresRefreshStore({ pool, schema }),
    keys: new PostgresKeyStore({ pool, schema }),
    rateLimits: createPostgresRateLimitStore({ pool, schema }),
    postgres: { pool, schema },
    close,
  }
}

/** Refuses a schema `migrate` never ran in (a typo in `schema`, or a first deploy). */
async function requireMigrated(pool: PostgresPool, schema: string): Promise<void> {
  const { rows } = await postgresCall('schema check', () =>
    pool.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`"${schema}".acme_auth_migrations`]),
  )
  if (rows[0]?.found == null) {
    throw new CliFailure(`PostgreSQL schema "${schema}" is not migrated: run \`acme-auth migrate\` first`)
  }
}
