import { createTestPostgresSchema, type TestPostgresSchema } from '@acme/auth-testing'
import { desc, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionManager } from '../sessions/session-manager.js'
import { createAuthTables, sessions as defaultSessions, users as defaultUsers } from './drizzle-schema.js'
import { PostgresSessionStore } from './postgres-session-store.js'

let db: TestPostgresSchema
beforeAll(async () => {
  db = await createTestPostgresSchema() // migrated by core's migrate()
})
afterAll(async () => {
  await db.close()
})

interface ColumnShape {
  type: string
  nullable: boolean
  hasDefault: boolean
  generated: boolean
}
type TableShape = Record<string, ColumnShape>

/** Every table of the schema, as the database's catalog describes it. */
async function catalogTables(schema: string): Promise<Record<string, TableShape>> {
  const { rows } = await db.pool.query<{ table: string; column: string; type: string; is_nullable: string; column_default: string | null; is_generated: string }>(
    `SELECT c.table_name AS table, c.column_name AS column, format_type(a.atttypid, a.atttypmod) AS type,
            c.is_nullable, c.column_default, c.is_generated
       FROM information_schema.columns c
       JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
      WHERE c.table_schema = $1`,
    [schema],
  )
  const tables: Record<string, TableShape> = {}
  for (const row of rows) {
    const generated = row.is_generated === 'ALWAYS'
    ;(tables[row.table] ??= {})[row.column] = {
      type: row.type,
      nullable: row.is_nullable === 'YES',
      hasDefault: !generated && row.column_default !== null,
      generated,
    }
  }
  return tables
}

/** The same, from Drizzle's definitions. */
function drizzleTables(tables: PgTable[]): Record<string, TableShape> {
  const shapes: Record<string, TableShape> = {}
  for (const table of tables) {
    const config = getTableConfig(table)
    const shape: TableShape = {}
    for (const column of config.columns) {
      const generated = column.generated !== undefined
      shape[column.name] = { type: column.getSQLType(), nullable: !column.notNull, hasDefault: !generated && column.hasDefault, generated }
    }
    shapes[config.name] = shape
  }
  return shapes
}

/** Every table of a {@link createAuthTables} result (all but `schema`). */
const authTables = (tables: ReturnType<typeof createAuthTables>): PgTable[] =>
  Object.entries(tables)
    .filter(([key]) => key !== 'schema')
    .map(([, table]) => table as PgTable)

async function catalogPrimaryKeys(schema: string): Promise<Record<string, string[]>> {
  const { rows } = await db.pool.query<{ table: string; columns: string[] }>(
    `SELECT t.relname AS table, array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, n)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.attnum ORDER BY u.n) AS columns
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
      WHERE s.nspname = $1 AND k.contype = 'p'`,
    [schema],
  )
  return Object.fromEntries(rows.map((row) => [row.table, row.columns]))
}

function drizzlePrimaryKeys(tables: PgTable[]): Record<string, string[]> {
  const keys: Record<string, string[]> = {}
  for (const table of tables) {
    const config = getTableConfig(table)
    const single = config.columns.filter((column) => column.primary).map((column) => column.name)
    const composite = config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name))
    keys[config.name] = [...single, ...composite]
  }
  return keys
}

/** Foreign keys, checks and secondary indexes, by name. */
async function catalogConstraints(schema: string): Promise<string[]> {
  const constraints = await db.pool.query<{ line: string }>(
    `SELECT t.relname || ' ' || k.conname || ' ' || k.contype::text AS line
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
      WHERE s.nspname = $1 AND k.contype IN ('f', 'c')`,
    [schema],
  )
  const indexes = await db.pool.query<{ line: string }>(
    `SELECT t.relname || ' ' || i.relname || ' ' || CASE WHEN x.indisunique THEN 'unique' ELSE 'index' END
            || CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END || ' (' ||
            array_to_string(array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(attnum, n)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.attnum ORDER BY u.n), ', ') || ')' AS line
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace
      WHERE s.nspname = $1 AND NOT x.indisprimary`,
    [schema],
  )
  return [...constraints.rows, ...indexes.rows].map((row) => row.line).sort()
}

function drizzleConstraints(tables: PgTable[]): string[] {
  const lines: string[] = []
  for (const table of tables) {
    const config = getTableConfig(table)
    for (const key of config.foreignKeys) lines.push(`${config.name} ${key.getName()} f`)
    for (const check of config.checks) lines.push(`${config.name} ${check.name} c`)
    for (const index of config.indexes) {
      const columns = index.config.columns.map((column) => ('name' in column ? column.name : '?')).join(', ')
      lines.push(`${config.name} ${index.config.name ?? '?'} ${index.config.unique ? 'unique' : 'index'}${index.config.where ? ' partial' : ''} (${columns})`)
    }
  }
  return lines.sort()
}

describe('Drizzle schema (@acme/auth-core/postgres/drizzle)', () => {
  it("matches what migrate() creates: every table, column name, type, nullability, default and generated column", async () => {
    const tables = authTables(createAuthTables(db.schema))
    expect(tables.map((table) => getTableConfig(table).schema)).toEqual(tables.map(() => db.schema))
    const catalog = await catalogTables(db.schema)
    expect(Object.keys(catalog).length).toBe(17)
    expect(drizzleTables(tables)).toEqual(catalog)
  })

  it('has the same primary keys, foreign keys, checks and indexes (by name and columns)', async () => {
    const tables = authTables(createAuthTables(db.schema))
    expect(drizzlePrimaryKeys(tables)).toEqual(await catalogPrimaryKeys(db.schema))
    const constraints = await catalogConstraints(db.schema)
    expect(constraints).toContain('rate_limits rate_limits_expires_at_idx index partial (expires_at)')
    expect(drizzleConstraints(tables)).toEqual(constraints)
  })

  it('reads what the stores wrote: epoch milliseconds as numbers, session data as JSON', async () => {
    const { sessions } = createAuthTables(db.schema)
    const manager = createSessionManager({ store: new PostgresSessionStore({ pool: db.pool, schema: db.schema }) })
    const { session } = await manager.create('u-drizzle', { userAgent: 'curl/8', data: { theme: 'dark' } })
    const orm = drizzle(db.pool)
    const rows = await orm
      .select({ id: sessions.id, userAgent: sessions.userAgent, data: sessions.data, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, 'u-drizzle'))
      .orderBy(desc(sessions.lastSeenAt))
    expect(session.data).toMatchObject({ theme: 'dark' })
    expect(rows).toEqual([
      { id: session.id, userAgent: 'curl/8', data: session.data, expiresAt: Math.min(session.idleExpiresAt, session.absoluteExpiresAt) },
    ])
  })

  it('the default exports live in schema acme_auth; a schema name that is not a plain identifier is refused', () => {
    expect(getTableConfig(defaultSessions).schema).toBe('acme_auth')
    expect(getTableConfig(defaultUsers).name).toBe('users')
    expect(() => createAuthTables('Acme; DROP')).toThrow(TypeError)
  })
})
