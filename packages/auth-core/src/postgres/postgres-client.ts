import type { Pool, QueryResultRow } from 'pg'
import type { Queryable, StoreConnection } from './postgres-timeout.js'
import { AuthError } from '../errors.js'

/** What the PostgreSQL stores accept: a node-postgres `Pool` (each store shares the app's pool). */
export type PostgresPool = Pool

/** The schema every table lives in when none is given. */
export const DEFAULT_SCHEMA = 'acme_auth'

/**
 * Runs one store operation and turns any connection or server failure into
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed with a typed error (the server maps it to 503).
 * The stores bound it with their `timeoutMs` (see `boundedDb`).
 */
export async function postgresCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof AuthError) throw error
    throw new AuthError('ERR_STORE_UNAVAILABLE', `PostgreSQL ${operation} failed`, { cause: error })
  }
}

/**
 * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled
 * back when it throws. A connection whose rollback fails, or whose query timed out (it is still
 * busy with it), is destroyed, not returned to the pool.
 */
export async function inTransaction<T>(
  pool: { connect(): Promise<StoreConnection> },
  work: (client: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    if (error instanceof Error && error.message === 'Query read timeout') {
      broken = error // a ROLLBACK would queue behind the query that hangs
      throw error
    }
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
    })
    throw error
  } finally {
    client.release(broken)
  }
}

/** The first row of a query, or `undefined`. */
export async function firstRow<Row extends QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[],
): Promise<Row | undefined> {
  const result = await db.query<Row>(text, values)
  return result.rows[0]
}

/**
 * The `schema` option of every PostgreSQL store, `migrate()` and `prune()`: a plain lower-case
 * identifier (it is written into SQL text, so nothing else is accepted).
 */
export function validateSchema(value: unknown): string {
  const schema = value ?? DEFAULT_SCHEMA
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) {
    throw new TypeError('options.schema must be a lower-case SQL identifier of at most 40 characters ([a-z_][a-z0-9_]*)')
  }
  return schema
}

/** The `pool` option of every PostgreSQL store: a node-postgres `Pool`. */
export function requirePool(value: unknown): PostgresPool {
  const pool = value as Partial<PostgresPool> | undefined
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('options.pool must be a node-postgres Pool')
  }
  return value as PostgresPool
}

/** Epoch milliseconds from a `bigint` column (node-postgres returns int8 as a string). */
export const toMillis = (value: string | number): number => Number(value)

/** Like {@link toMillis}, keeping SQL `NULL` as `null`. */
export const toMillisOrNull = (value: string | number | null): number | null => (value === null ? null : Number(value))
