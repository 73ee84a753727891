// One server per scenario, run as a child process so the load generator does not share its event
// loop. Prints `READY <port> <cookie header>` when it can take traffic.
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createSessionManager, MemorySessionStore, type SessionManager } from '@acme/auth-core'
import { RedisSessionStore } from '@acme/auth-core/redis'
import { RedisStore } from 'connect-redis'
import express, { type Express } from 'express'
import session from 'express-session'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { createAuth, requireAuth } from '../src/index.js'

const scenario = process.argv[2] ?? 'bare'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const secret = 'bench-secret-bench-secret-bench-secret-1234'
const prefix = `bench:server:${process.pid}:`

declare module 'express-session' {
  interface SessionData {
    userId: string
  }
}

async function acmeApp(sessions: SessionManager): Promise<{ app: Express; cookie: string }> {
  const auth = createAuth({
    sessions,
    users: { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(null) },
    passwords: createScryptHasher(),
    http: { origin: 'http://localhost:3000', secret },
  })
  const app = express()
  app.use(auth.middleware())
  app.get('/protected', requireAuth(), (req, res) => {
    res.json({ user: req.auth!.user.id })
  })
  const { token } = await sessions.create('bench-user')
  return { app, cookie: `__Host-sid=${token}` }
}

async function expressSessionApp(store: session.Store | undefined): Promise<{ app: Express; cookie: string }> {
  const app = express()
  app.use(session({ secret, resave: false, saveUninitialized: false, name: 'sid', ...(store ? { store } : {}) }))
  app.post('/login', (req, res) => {
    req.session.userId = 'bench-user'
    res.end()
  })
  app.get('/protected', (req, res) => {
    if (!req.session.userId) {
      res.status(401).end()
      return
    }
    res.json({ user: req.session.userId })
  })
  const server = app.listen(0)
  await new Promise((resolve) => server.once('listening', resolve))
  const port = (server.address() as { port: number }).port
  const res = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST' })
  server.close()
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  return { app, cookie }
}

async function build(): Promise<{ app: Express; cookie: string }> {
  switch (scenario) {
    case 'bare': {
      const app = express()
      app.get('/protected', (_req, res) => {
        res.json({ user: 'bench-user' })
      })
      // The same Cookie header as the others carry, so every scenario parses the same request.
      return { app, cookie: `__Host-sid=${'a'.repeat(30)}.${'b'.repeat(43)}` }
    }
    case 'acme-memory':
      return acmeApp(createSessionManager({ store: new MemorySessionStore() }))
    case 'acme-redis':
    case 'acme-redis-cached': {
      const client = new Redis(redisUrl, { enableOfflineQueue: false, lazyConnect: true })
      await client.connect()
      const store = new RedisSessionStore({ client, prefix })
      const cache = scenario === 'acme-redis-cached' ? { ttlSeconds: 30 } : false
      const result = await acmeApp(createSessionManager({ store, cache }))
      await store.ready()
      return result
    }
    case 'express-session-memory':
      return expressSessionApp(undefined)
    case 'express-session-redis': {
      const client = createClient({ url: redisUrl })
      await client.connect()
      return expressSessionApp(new RedisStore({ client, prefix }))
    }
    default:
      throw new Error(`unknown scenario ${scenario}`)
  }
}

const { app, cookie } = await build()
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${(server.address() as { port: number }).port} ${cookie}`)
})
process.on('SIGTERM', () => {
  server.close()
  process.exit(0)
})
