// Bytes per session row in PostgreSQL: N sessions written through each store (Acme's
// PostgresSessionStore and express-session's connect-pg-simple), then the catalog's sizes ÷ N.
import { migrate, PostgresSessionStore } from '@acme/auth-core/postgres'
import { randomToken, sha256 } from '@acme/auth-core/internal'
import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import pg from 'pg'

export interface RowSize {
  rows: number
  /** `avg(pg_column_size(row))`: the row's own bytes (its tuple, no page or index overhead). */
  rowBytes: number
  /** `pg_relation_size(table) ÷ rows`: the heap, page and tuple headers included. */
  heapBytesPerRow: number
  /** `pg_total_relation_size(table) ÷ rows`: heap, indexes and TOAST. */
  totalBytesPerRow: number
}

export interface SessionRowSizes {
  /** What each row holds: a session as a password sign-in from a browser writes it. */
  method: string
  acme: RowSize
  connectPgSimple: RowSize
}

const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const day = 24 * 60 * 60 * 1000

async function measure(pool: pg.Pool, table: string, rows: number): Promise<RowSize> {
  await pool.query(`VACUUM ANALYZE ${table}`)
  const { rows: [size] } = await pool.query<{ row: string; heap: string; total: string; n: string }>(
    `SELECT avg(pg_column_size(t.*)) AS row, pg_relation_size('${table}') AS heap, pg_total_relation_size('${table}') AS total, count(*) AS n FROM ${table} t`,
  )
  if (Number(size!.n) !== rows) throw new Error(`${table} holds ${size!.n} rows, not ${rows}`)
  return {
    rows,
    rowBytes: Math.round(Number(size!.row)),
    heapBytesPerRow: Math.round(Number(size!.heap) / rows),
    totalBytesPerRow: Math.round(Number(size!.total) / rows),
  }
}

/** Writes `rows` sessions through each store into schemas of their own in `url`'s database, measures, drops them. */
export async function sessionRowSizes(url: string, rows = 10_000): Promise<SessionRowSizes> {
  const pool = new pg.Pool({ connectionString: url, max: 8 })
  const schemas = { acme: `bench_rows_acme_${process.pid}`, pgSimple: `bench_rows_pgsimple_${process.pid}` }
  try {
    await migrate(pool, { schema: schemas.acme })
    const store = new PostgresSessionStore({ pool, schema: schemas.acme })
    const now = Date.now()
    const write = async (i: number) => {
      const userId = `user-${i % 1000}`
      await store.create(
        {
          id: randomToken(18), // as the session manager makes one for a store without createId()
          userId,
          createdAt: now,
          lastSeenAt: now,
          idleExpiresAt: now + 7 * day,
          absoluteExpiresAt: now + 30 * day,
          userAgent,
          ip: '203.0.113.7',
          authLevel: 'password',
          authenticatedAt: now,
          data: { 'acme:roles': ['member'] },
          secretHash: await sha256(randomToken(32)),
        },
        now,
      )
    }
    const PGStore = connectPgSimple(session)
    await pool.query(`CREATE SCHEMA ${schemas.pgSimple}`)
    const pgStore = new PGStore({ pool, schemaName: schemas.pgSimple, createTableIfMissing: true, pruneSessionInterval: false })
    // What express-session stores after `req.session.userId = …` with its default cookie.
    const set = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const cookie = new session.Cookie()
        pgStore.set(randomToken(24), { cookie, userId: `user-${i % 1000}` }, (error?: unknown) => (error ? reject(error instanceof Error ? error : new Error('connect-pg-simple set failed')) : resolve()))
      })
    // One after the other: concurrent inserts make PostgreSQL extend a table by many pages at once,
    // which would count empty pages against the rows.
    for (let i = 0; i < rows; i++) await write(i)
    for (let i = 0; i < rows; i++) await set(i)
    return {
      method: `${rows} sessions through each store (1000 users; Acme: a browser's user agent and IP, roles ['member']; connect-pg-simple: express-session's default cookie and a userId), VACUUM ANALYZE, then the catalog's sizes`,
      acme: await measure(pool, `${schemas.acme}.sessions`, rows),
      connectPgSimple: await measure(pool, `${schemas.pgSimple}.session`, rows),
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schemas.acme} CASCADE; DROP SCHEMA IF EXISTS ${schemas.pgSimple} CASCADE`).catch(() => {})
    await pool.end()
  }
}
