import { startPostgresServer, type TestPostgresServer } from '@acme/auth-testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionManager } from '../sessions/session-manager.js'
import { migrate } from './migrate.js'
import { PostgresSessionStore } from './postgres-session-store.js'

// A frozen database (SIGSTOP: the connection stays open, nothing answers) is what TCP does not
// report for minutes. The heartbeat must notice it within interval + timeout.
let server: TestPostgresServer
let pool: pg.Pool
beforeAll(async () => {
  server = await startPostgresServer()
  pool = new pg.Pool({ connectionString: server.url, max: 4, connectionTimeoutMillis: 1_000 })
  pool.on('error', () => {}) // the frozen and resumed server ends idle connections
  await migrate(pool)
}, 60_000)
afterAll(async () => {
  server?.resume()
  await pool?.end().catch(() => {})
  await server?.close()
})

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return performance.now() - started
}

describe('the LISTEN heartbeat', () => {
  it('a frozen database stops the cache trusting the channel within interval + timeout, and it listens again after', async () => {
    const listenPool = new pg.Pool({ connectionString: server.url, max: 1, connectionTimeoutMillis: 1_000 })
    listenPool.on('error', () => {})
    const store = new PostgresSessionStore({ pool, listenPool, listenHeartbeat: { intervalMs: 200, timeoutMs: 100 } })
    const sessions = createSessionManager({ store, cache: { ttlSeconds: 60 } })
    await store.ready()
    expect(store.listening).toBe(true)
    try {
      server.pause()
      const noticed = await until(() => !store.listening, 2_000)
      expect(noticed).toBeLessThan(1_000)
      server.resume()
      await until(() => store.listening, 10_000)
    } finally {
      server.resume()
      sessions.close()
      await store.close()
      await listenPool.end().catch(() => {})
    }
  }, 30_000)

  it('without the heartbeat the frozen connection still looks healthy (what the heartbeat is for)', async () => {
    const listenPool = new pg.Pool({ connectionString: server.url, max: 1 })
    listenPool.on('error', () => {})
    const store = new PostgresSessionStore({ pool, listenPool, listenHeartbeat: false })
    const sessions = createSessionManager({ store, cache: { ttlSeconds: 60 } })
    await store.ready()
    try {
      server.pause()
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect(store.listening).toBe(true)
    } finally {
      server.resume()
      sessions.close()
      await store.close()
      await listenPool.end().catch(() => {})
    }
  }, 30_000)

  it('refuses a heartbeat whose timeout is not shorter than its interval', () => {
    expect(() => new PostgresSessionStore({ pool, listenHeartbeat: { intervalMs: 100, timeoutMs: 100 } })).toThrow(TypeError)
    expect(() => new PostgresSessionStore({ pool, listenHeartbeat: { intervalMs: 1.5 } })).toThrow(TypeError)
  })
})
