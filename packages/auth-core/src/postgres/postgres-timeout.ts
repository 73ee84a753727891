import type { QueryResult, QueryResultRow } from 'pg'
import { optionalNumber } from '../lib/options.js'
import { postgresCall, requirePool, type PostgresPool } from './postgres-client.js'

/** What a store queries: a pool, or one connection in a transaction. */
export interface Queryable {
  query<Row extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<Row>>
}

/** One pooled connection; `release(error)` destroys it instead of returning it to the pool. */
export interface StoreConnection extends Queryable {
  release(error?: Error | boolean): void
}

/** A pool whose every query and connection attempt is bounded. */
export interface StoreDb extends Queryable {
  connect(): Promise<StoreConnection>
}

/** A store's way to the database: `call()` bounds the whole operation, `db` each query in it. */
export interface BoundedDb {
  readonly db: StoreDb
  call<T>(operation: string, run: (db: StoreDb) => Promise<T>): Promise<T>
}

/** The default bound of one PostgreSQL store operation (a transaction may wait on row locks). */
export const DEFAULT_STORE_TIMEOUT_MS = 2_000

/** The `timeoutMs` option of every PostgreSQL store. */
export const storeTimeout = (value: unknown): number =>
  optionalNumber(value, 'options.timeoutMs', DEFAULT_STORE_TIMEOUT_MS, { min: 1, max: 60_000, integer: true })

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`)
    this.name = 'TimeoutError'
  }
}

/** `promise`, or a rejection after `ms`; `late` receives what a promise that lost the race resolves to. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, late?: (value: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let timedOut = false
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true
      reject(new TimeoutError(ms))
    }, ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
    if (timedOut && late) promise.then(late, () => {})
    else promise.catch(() => {}) // a promise that lost the race must not be an unhandled rejection
  }
}

/**
 * Bounds a pool for a store. Every query, waiting for a connection included, fails after `ms`;
 * it also carries node-postgres's `query_timeout` (a query that
 * times out fails, and its connection is destroyed rather than reused), a connection attempt
 * gives up after `ms` (a connection that arrives later goes back to the pool), and `call()` puts
 * the same bound on the whole operation, so a frozen server answers `ERR_STORE_UNAVAILABLE`
 * within `ms` whatever the pool's own settings. As with Redis, a write cut short may still be
 * applied once the server answers again.
 */
export function boundedDb(pool: PostgresPool, ms: number): BoundedDb {
  const bound = <Row extends QueryResultRow>(target: { query: PostgresPool['query'] }, text: string, values?: unknown[]) =>
    target.query<Row>({ text, values, query_timeout: ms } as { text: string; values?: unknown[] })
  const db: StoreDb = {
    // pool.query waits for a connection first: the deadline covers that wait too.
    query: (text, values) => withDeadline(bound(pool, text, values), ms),
    async connect() {
      const client = await withDeadline(pool.connect(), ms, (late) => late.release())
      return {
        query: (text, values) => bound(client, text, values),
        release: (error) => client.release(error),
      }
    },
  }
  return {
    db,
    call: (operation, run) => postgresCall(operation, () => withDeadline(run(db), ms)),
  }
}

/** The bounded pool of a store, from its `pool` and `timeoutMs` options. */
export const storeDb = (input: Record<string, unknown>): StoreDb => boundedDb(requirePool(input.pool), storeTimeout(input.timeoutMs)).db
