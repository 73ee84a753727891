import type { Pool, PoolConfig } from 'pg'
import { migrate } from '@acme/auth-core/postgres'

/** A schema of its own in a PostgreSQL database, for one test file or one test. */
export interface TestPostgresSchema {
  /** A pool on the database (its `search_path` is not changed: pass `schema` to the stores). */
  readonly pool: Pool
  /** The unique schema name, e.g. `test_1234_lq2x9k_1`. */
  readonly schema: string
  readonly connectionString: string
  /** Another pool on the same database, as a second server instance would hold; closed by `close()`. */
  connect(config?: PoolConfig): Pool
  /** Every row of every table in the schema, as text (for "no secret at rest" checks). */
  dump(): Promise<string>
  /** Deletes every row but the applied migrations: an empty store again, far cheaper than a new schema. */
  clear(): Promise<void>
  /** Drops the schema with everything in it and closes every pool this helper opened. */
  close(): Promise<void>
}

/** Options of {@link createTestPostgresSchema}. */
export interface TestPostgresSchemaOptions {
  /** @default process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' */
  connectionString?: string
  /** Run core's `migrate()` into the schema first. @default true */
  migrate?: boolean
  /** Settings for the pool (`max`, timeouts). */
  pool?: PoolConfig
}

let counter = 0

/**
 * Creates a uniquely named schema (migrated by default) in a real PostgreSQL, and drops it again
 * on `close()`, so tests never share or leave data. Needs `pg` installed (an optional peer).
 *
 * @example
 * ```ts
 * import { createTestPostgresSchema } from '@acme/auth-testing'
 * import { PostgresSessionStore } from '@acme/auth-core/postgres'
 *
 * const db = await createTestPostgresSchema()
 * const store = new PostgresSessionStore({ pool: db.pool, schema: db.schema })
 * // …
 * await store.close()
 * await db.close()
 * ```
 */
export async function createTestPostgresSchema(options: TestPostgresSchemaOptions = {}): Promise<TestPostgresSchema> {
  const connectionString = options.connectionString ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const module = (await import('pg')) as unknown as { default?: { Pool: typeof Pool }; Pool?: typeof Pool }
  const PoolClass = module.default?.Pool ?? module.Pool!
  const schema = `test_${process.pid}_${Date.now().toString(36)}_${++counter}`
  const pools: Pool[] = []
  const connect = (config: PoolConfig = {}) => {
    const pool = new PoolClass({ connectionString, ...options.pool, ...config })
    // An idle pooled connection that the server drops must not crash the test run.
    pool.on('error', () => {})
    pools.push(pool)
    return pool
  }
  const pool = connect()
  if (options.migrate === false) await pool.query(`CREATE SCHEMA "${schema}"`)
  else await migrate(pool, { schema })
  return {
    pool,
    schema,
    connectionString,
    connect,
    async dump() {
      const tables = await pool.query<{ name: string }>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      )
      const lines: string[] = []
      for (const { name } of tables.rows) {
        const rows = await pool.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${schema}"."${name}" t`)
        for (const { row } of rows.rows) lines.push(`${name} ${row}`)
      }
      return lines.join('\n')
    },
    async clear() {
      // Tables with a foreign key first (one level deep in this schema), so no delete is refused.
      const tables = await pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> 'acme_auth_migrations'
         ORDER BY EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f') DESC, c.relname`,
        [schema],
      )
      await pool.query(tables.rows.map(({ name }) => `DELETE FROM "${schema}"."${name}";`).join('\n'))
    },
    async close() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      } finally {
        await Promise.all(pools.filter((each) => !each.ending).map((each) => each.end()))
      }
    },
  }
}
