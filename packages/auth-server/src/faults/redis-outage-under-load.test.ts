// Fault tests: a Redis the test starts on its own port is killed while clients hammer a protected
// route, then restarted. Bounded in time, loopback only, and it stops by itself.
import { createSessionManager, type SessionManager } from '@acme/auth-core'
import { RedisSessionStore } from '@acme/auth-core/redis'
import { startRedisServer, type TestRedisServer } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../test/fixtures.js'

let redis: TestRedisServer
const clients: Redis[] = []

async function connect(): Promise<Redis> {
  const client = new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => 100 })
  client.on('error', () => {})
  clients.push(client)
  await client.connect()
  return client
}

async function startApp() {
  const store = new RedisSessionStore({ client: await connect(), prefix: 'fault:', timeoutMs: 500 })
  const sessions: SessionManager = createSessionManager({ store })
  const { app, auth } = await createTestApp({ store, sessions })
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  return { auth, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  for (const client of clients) client.disconnect()
  await redis.close()
})

describe('Redis killed under load', () => {
  it('answers 503 (never 500, never hanging), recovers within seconds of a restart, and loses no session', async () => {
    const { auth, server, base } = await startApp()
    const users = ['alice', 'bob', 'carol', 'dave'].map((name) => ({ id: `u-${name}`, email: `${name}@example.com`, name, roles: ['member'] }))
    const cookies = await Promise.all(users.map(async (user) => (await auth.issueSession(user)).cookie))

    const statuses = new Map<number, number>()
    let slowest = 0
    let running = true
    const worker = async (cookie: string) => {
      while (running) {
        const started = performance.now()
        const res = await fetch(`${base}/api/me`, { headers: { cookie }, signal: AbortSignal.timeout(5_000) })
        await res.arrayBuffer()
        slowest = Math.max(slowest, performance.now() - started)
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      }
    }
    const load = Promise.all(cookies.flatMap((cookie) => [worker(cookie), worker(cookie)]))
    try {
      await new Promise((resolve) => setTimeout(resolve, 500))
      await redis.kill()
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0)

      const restartedAt = performance.now()
      await redis.start()
      // Recovery: every client gets a 200 again within a few seconds.
      let recovered = false
      while (!recovered && performance.now() - restartedAt < 10_000) {
        const answers = await Promise.all(cookies.map((cookie) => fetch(`${base}/api/me`, { headers: { cookie } }).then((r) => r.status)))
        recovered = answers.every((status) => status === 200)
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const recoverySeconds = (performance.now() - restartedAt) / 1000
      console.log(`statuses under the outage: ${JSON.stringify(Object.fromEntries(statuses))}; recovered in ${recoverySeconds.toFixed(1)} s; slowest answer ${slowest.toFixed(0)} ms`)
      expect(recovered).toBe(true) // and so no session was lost: the same cookies work
      expect(recoverySeconds).toBeLessThan(5)
    } finally {
      running = false
      await load
      await close(server)
    }
    expect([...statuses.keys()].sort()).toEqual([200, 503])
    expect(slowest).toBeLessThan(2_000) // the store timeout is 500 ms: nothing hangs
  }, 30_000)

  it('an app restarted against the same Redis keeps every session', async () => {
    const first = await startApp()
    const user = { id: 'u-erin', email: 'erin@example.com', name: 'Erin', roles: ['member'] }
    const { cookie } = await first.auth.issueSession(user)
    expect((await fetch(`${first.base}/api/me`, { headers: { cookie } })).status).toBe(200)
    await close(first.server)

    const second = await startApp()
    try {
      const res = await fetch(`${second.base}/api/me`, { headers: { cookie } })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { user: { id: string } }).user.id).toBe('u-erin')
    } finally {
      await close(second.server)
    }
  })
})
