// The PostgreSQL of the protected-route bench: a private server started by the bench (beside the
// load generator, like its private Redis), or a throw-away database on the server DATABASE_URL
// names, dropped after the run.
import pg from 'pg'
import { startPostgresServer } from '../../../auth-testing/src/postgres/postgres-server.js'

export interface BenchPostgres {
  /** A connection string for the bench's database. */
  url: string
  /** What it is, for the result. */
  where: string
  close(): Promise<void>
}

/** Starts the bench's PostgreSQL (see the file comment). */
export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL
  if (given) {
    const database = `acme_bench_${process.pid}`
    const admin = new pg.Client({ connectionString: given })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${database}`)
    } finally {
      await admin.end()
    }
    const url = new URL(given)
    url.pathname = `/${database}`
    const close = async () => {
      const cleaner = new pg.Client({ connectionString: given })
      await cleaner.connect()
      try {
        await cleaner.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      } finally {
        await cleaner.end()
      }
    }
    return { url: url.toString(), where: `a throw-away database ${database} on the server DATABASE_URL names (not pinned by the bench), dropped after`, close }
  }
  // fsync off: commits reach the OS but not the disk, which spares connect-pg-simple's write per
  // request more than it spares us (one write per 60 s touch interval): the ratio is conservative.
  const server = await startPostgresServer({ settings: { max_connections: 100 } })
  return {
    url: server.url,
    where: 'a private PostgreSQL started by the bench (initdb, fsync off), on the load generator core',
    close: () => server.close(),
  }
}
