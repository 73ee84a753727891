// Fault tests: a PostgreSQL the test starts on its own port is stopped (fast shutdown), killed or
// frozen (SIGSTOP: connections open, nothing answers) while clients hammer a protected route, then
// brought back. Bounded in time, loopback only, and it stops by itself.
import { createSessionManager } from '@acme/auth-core'
import { PostgresSessionStore } from '@acme/auth-core/postgres'
import { createTestPostgresSchema, startPostgresServer, type TestPostgresSchema, type TestPostgresServer } from '@acme/auth-testing'
import type { Server } from 'node:http'
import type { PoolConfig } from 'pg'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../test/fixtures.js'

// The stores bound every query (`timeoutMs`), and so does the pool here: a connection attempt
// gives up after 500 ms, a query after 500 ms (and its connection is dropped). The last case
// takes the pool's bounds away, so that only the store's own timeout is left.
const storeTimeoutMs = 500
const poolConfig = { max: 10, connectionTimeoutMillis: storeTimeoutMs, query_timeout: storeTimeoutMs }

let server: TestPostgresServer
let db: TestPostgresSchema
const stores: PostgresSessionStore[] = []

beforeAll(async () => {
  server = await startPostgresServer()
  db = await createTestPostgresSchema({ connectionString: server.url, pool: poolConfig })
}, 30_000)
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()))
  await db.close()
  await server.close()
})

/** An app wired as the README says: the app's pool, a session cache fed by LISTEN on a pool of its own. */
async function startApp(cache = true, options: { pool?: PoolConfig; timeoutMs?: number } = {}) {
  const store = new PostgresSessionStore({
    pool: db.connect(options.pool),
    schema: db.schema,
    listenPool: db.connect({ max: 1 }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  })
  stores.push(store)
  const sessions = createSessionManager({ store, ...(cache ? { cache: { ttlSeconds: 30 } } : {}) })
  await store.ready()
  const { app, auth } = await createTestApp({ store, sessions })
  const listening = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started))
  })
  return { auth, server: listening, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` }
}

const close = (http: Server) =>
  new Promise<void>((resolve) => {
    http.closeAllConnections()
    http.close(() => resolve())
  })

describe('PostgreSQL outage under load', () => {
  // A frozen server drops no connection, so the LISTEN connection looks alive and the cache would
  // answer every request from memory: that variant reads the store on each request instead.
  it.each(['stop', 'kill', 'pause'] as const)(
    'PostgreSQL %s: only 200 or 503 problem+json, nothing hangs past the pool timeout, back within seconds, no session lost',
    async (outage) => {
      const app = await startApp(outage !== 'pause')
      const users = ['alice', 'bob', 'carol', 'dave'].map((name) => ({ id: `u-${name}-${outage}`, email: `${name}@example.com`, name, roles: ['member'] }))
      const cookies = await Promise.all(users.map(async (user) => (await app.auth.issueSession(user)).cookie))

      const statuses = new Map<number, number>()
      const contentTypes = new Set<string>()
      let slowest = 0
      let running = true
      const worker = async (cookie: string) => {
        while (running) {
          const started = performance.now()
          const res = await fetch(`${app.base}/api/me`, { headers: { cookie }, signal: AbortSignal.timeout(5_000) })
          await res.arrayBuffer()
          slowest = Math.max(slowest, performance.now() - started)
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          if (res.status !== 200) contentTypes.add(`${res.status} ${(res.headers.get('content-type') ?? '').split(';')[0]}`)
        }
      }
      const load = Promise.all(cookies.flatMap((cookie) => [worker(cookie), worker(cookie)]))
      let recoverySeconds = Number.NaN
      try {
        await new Promise((resolve) => setTimeout(resolve, 500))
        expect(statuses.get(200) ?? 0).toBeGreaterThan(0)
        if (outage === 'pause') server.pause()
        else await (outage === 'stop' ? server.stop() : server.kill())
        // A frozen server answers its first 503s only after the query timeout AND a connection
        // attempt have each waited out their 500 ms: wait for them instead of for a fixed second.
        const outageAt = performance.now()
        while ((statuses.get(503) ?? 0) === 0 && performance.now() - outageAt < 5_000) {
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        expect(statuses.get(503) ?? 0).toBeGreaterThan(0)
        await new Promise((resolve) => setTimeout(resolve, 500))

        const restartedAt = performance.now()
        if (outage === 'pause') server.resume()
        else await server.start()
        // Recovery: every client gets a 200 for its own user again, with the cookie it had before.
        let recovered = false
        while (!recovered && performance.now() - restartedAt < 10_000) {
          const answers = await Promise.all(
            cookies.map(async (cookie) => {
              const res = await fetch(`${app.base}/api/me`, { headers: { cookie } })
              return res.status === 200 ? ((await res.json()) as { user: { id: string } }).user.id : res.status
            }),
          )
          recovered = answers.every((answer, i) => answer === users[i]!.id)
          if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100))
        }
        recoverySeconds = (performance.now() - restartedAt) / 1000
        console.log(
          `PostgreSQL ${outage}: statuses ${JSON.stringify(Object.fromEntries(statuses))}; recovered in ${recoverySeconds.toFixed(1)} s; slowest answer ${slowest.toFixed(0)} ms`,
        )
        expect(recovered).toBe(true) // so no session was lost: the cookies issued before the outage work
        expect(recoverySeconds).toBeLessThan(5)
      } finally {
        server.resume() // whatever failed, never leave the server frozen
        running = false
        await load
        await close(app.server)
      }
      expect([...statuses.keys()].sort()).toEqual([200, 503])
      expect([...contentTypes]).toEqual(['503 application/problem+json'])
      // Every pool step is bounded at 500 ms (a frozen server costs a query timeout, then a connection
      // attempt: ~1 s); 3 s leaves room for a loaded machine and still catches a request that hangs.
      expect(slowest).toBeLessThan(3_000)
    },
    30_000,
  )

  it('an app started again against the restarted database keeps every session', async () => {
    const first = await startApp()
    const user = { id: 'u-erin', email: 'erin@example.com', name: 'Erin', roles: ['member'] }
    const { cookie } = await first.auth.issueSession(user)
    expect((await fetch(`${first.base}/api/me`, { headers: { cookie } })).status).toBe(200)
    await close(first.server)
    await server.kill()
    await server.start()

    const second = await startApp()
    try {
      const res = await fetch(`${second.base}/api/me`, { headers: { cookie } })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { user: { id: string } }).user.id).toBe('u-erin')
    } finally {
      await close(second.server)
    }
  }, 30_000)

  it('frozen (SIGSTOP) behind a pool without timeouts: the store\'s own timeoutMs answers 503 in time, and all is well after SIGCONT', async () => {
    const timeoutMs = 300
    // No connection or query timeout in the pool (0 = none): only the store bounds the wait.
    const app = await startApp(false, { pool: { max: 4, connectionTimeoutMillis: 0, query_timeout: 0 }, timeoutMs })
    const user = { id: 'u-frida', email: 'frida@example.com', name: 'Frida', roles: ['member'] }
    const { cookie } = await app.auth.issueSession(user)
    const call = async () => {
      const started = performance.now()
      const res = await fetch(`${app.base}/api/me`, { headers: { cookie }, signal: AbortSignal.timeout(5_000) })
      const type = (res.headers.get('content-type') ?? '').split(';')[0]
      await res.arrayBuffer()
      return { status: res.status, type, ms: performance.now() - started }
    }
    try {
      expect((await call()).status).toBe(200)
      server.pause()
      // Waves of concurrent requests, more than the pool has connections: the queued ones too.
      const answers = []
      for (let wave = 0; wave < 3; wave++) answers.push(...(await Promise.all(Array.from({ length: 8 }, call))))
      server.resume()
      const slowest = Math.max(...answers.map((answer) => answer.ms))
      console.log(`PostgreSQL frozen, store timeout ${timeoutMs} ms: ${answers.length} answers, all ${[...new Set(answers.map((a) => a.status))].join('/')}, slowest ${slowest.toFixed(0)} ms`)
      expect(answers.every((answer) => answer.status === 503 && answer.type === 'application/problem+json')).toBe(true)
      expect(slowest).toBeLessThan(timeoutMs + 700) // the timeout plus a margin for a loaded machine
      let status = 0
      const resumedAt = performance.now()
      while (status !== 200 && performance.now() - resumedAt < 10_000) {
        status = (await call()).status
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(status).toBe(200) // the session outlived the outage
    } finally {
      server.resume()
      await close(app.server)
    }
  }, 30_000)
})
