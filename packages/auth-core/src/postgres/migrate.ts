import { requireObject } from '../lib/options.js'
import { migrations as shipped, type Migration } from './migrations/index.js'
import { inTransaction, postgresCall, requirePool, validateSchema, type PostgresPool } from './postgres-client.js'

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The schema to create and migrate (a lower-case identifier). @default 'acme_auth' */
  schema?: string
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** The versions this call applied, oldest first (empty when the schema was up to date). */
  applied: number[]
  /** The schema's version afterwards. */
  version: number
}

/** The first key of this package's two-key advisory locks (the second names the task and schema). */
export const ADVISORY_LOCK_NAMESPACE = "hashtext('acme-auth')"

/**
 * Creates the schema and brings it to the latest version: every pending migration in one
 * transaction, under a transaction-level advisory lock, so instances starting together do not
 * race (one applies, the others wait and find nothing left to do). Idempotent; applied versions
 * are recorded in `<schema>.acme_auth_migrations`.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import { migrate } from '@acme/auth-core/postgres'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await migrate(pool) // at start-up, before the stores are used
 * ```
 */
export async function migrate(pool: PostgresPool, options: MigrateOptions = {}): Promise<MigrateResult> {
  return runMigrations(requirePool(pool), validateSchema(requireObject(options, 'options').schema), shipped)
}

/** {@link migrate} with an explicit list (for tests of later migrations). */
export async function runMigrations(pool: PostgresPool, schema: string, migrations: readonly Migration[]): Promise<MigrateResult> {
  return postgresCall('migrate', () =>
    inTransaction(pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, hashtext($1))`, [`migrate:${schema}`])
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
      await client.query(`SET LOCAL search_path TO "${schema}"`)
      await client.query(`CREATE TABLE IF NOT EXISTS acme_auth_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const found = await client.query<{ version: number }>('SELECT version FROM acme_auth_migrations')
      const done = new Set(found.rows.map((row) => row.version))
      const applied: number[] = []
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue
        await client.query(migration.sql)
        await client.query('INSERT INTO acme_auth_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
        applied.push(migration.version)
      }
      return { applied, version: Math.max(0, ...done, ...applied) }
    }),
  )
}
