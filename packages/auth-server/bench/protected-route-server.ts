// One server per scenario of the protected-route benchmark, run as a child process on the server
// core. Every app has the same shape: one authenticating middleware, `GET /protected` behind a
// guard that answers 401 when anonymous, the handler `res.json({ user })`, then an error handler.
//
// The parent hands every child the same credentials (BENCH_SESSION_TOKEN for `__Host-sid`,
// BENCH_EXPRESS_SID for express-session's `sid`) so every scenario receives one identical Cookie
// header; each child puts its session into its own store at start-up, the way sign-in would, and
// from then on validates it per request with the library's defaults (idle expiry sliding, one
// store write per 60 s touch interval).
import {
  createAccessTokens,
  createKeyRing,
  createRefreshFamilies,
  createSessionManager,
  MemoryKeyStore,
  MemoryRefreshStore,
  MemorySessionStore,
  type SessionManager,
  type SessionRecord,
  type SessionStore,
} from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
// Seeds each store with the record sign-in would write: it needs core's token format and hash.
import { parseSessionToken, sha256 } from '@acme/auth-core/internal'
import { migrate, PostgresSessionStore } from '@acme/auth-core/postgres'
import { RedisSessionStore } from '@acme/auth-core/redis'
import connectPgSimple from 'connect-pg-simple'
import { RedisStore } from 'connect-redis'
import express, { type Express, type RequestHandler } from 'express'
import type { RequestListener } from 'node:http'
import session from 'express-session'
import { Redis } from 'ioredis'
import pg from 'pg'
import { hash, timingSafeEqual } from 'node:crypto'
import { createClient } from 'redis'
// By package name, so the child runs the built packages (dist) as an app would, not our sources.
import { createAuth, problemErrorHandler, requireAuth, type AuthOptions } from '@acme/auth-server'
import { createFetchAuth } from '@acme/auth-server/fetch'
import { fetchListener } from './lib/fetch-listener.js'
import { serveBench, type Answers } from './lib/bench-child.js'
import { protectedScenarios as scenarios, type ProtectedScenario } from './lib/protected-scenarios.js'


const origin = 'http://localhost:3000'
const secret = 'bench-secret-bench-secret-bench-secret-1234'
const user = { id: 'bench-user', email: 'bench@example.com', name: 'Bench', roles: ['member'] }
const day = 24 * 60 * 60 * 1000

declare module 'express-session' {
  interface SessionData {
    userId: string
  }
}

interface Built {
  app: Express | RequestListener
  /** The cookie pair this scenario reads, for the parent's shared header ('' for none). */
  cookie: () => Promise<string> | string
  /** Answers the parent's 'session' question: the stored session's times, to show the idle expiry slid. */
  session?: () => Promise<{ createdAt: number; lastSeenAt: number } | null>
  stop?: () => Promise<void>
}

function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set (the bench parent sets it)`)
  return value
}

/** The record `sessions.create()` would store for `token` after a password sign-in, with the defaults' expiry. */
async function recordFor(token: string): Promise<SessionRecord> {
  const parts = parseSessionToken(token)
  if (!parts) throw new Error('BENCH_SESSION_TOKEN is not an <id>.<secret> session token')
  const now = Date.now()
  return {
    id: parts.id,
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 7 * day,
    absoluteExpiresAt: now + 30 * day,
    authLevel: 'password',
    authenticatedAt: now,
    data: { 'acme:roles': user.roles },
    secretHash: await sha256(parts.secret),
  }
}

function acmeAuth(sessions: SessionManager, extra: Partial<AuthOptions> = {}) {
  return createAuth({
    sessions,
    users: { findByEmail: () => Promise.resolve(null), findById: (id) => Promise.resolve(id === user.id ? user : null) },
    passwords: createScryptHasher(),
    http: { origin, secret },
    ...extra,
  })
}

function protectedApp(authenticate: RequestHandler | undefined, guard: RequestHandler | undefined, userOf: (req: express.Request, res: express.Response) => string): Express {
  const app = express()
  if (authenticate) app.use(authenticate)
  const handler: RequestHandler = (req, res) => {
    res.json({ user: userOf(req, res) })
  }
  if (guard) app.get('/protected', guard, handler)
  else app.get('/protected', handler)
  app.use(problemErrorHandler())
  return app
}

async function acmeSessionApp(store: SessionStore, cache: boolean): Promise<Built> {
  const token = env('BENCH_SESSION_TOKEN')
  await store.create(await recordFor(token), Date.now())
  const sessions = createSessionManager({ store, ...(cache ? { cache: {} } : {}) })
  const auth = acmeAuth(sessions)
  const session = async () => {
    const stored = await store.get(parseSessionToken(token)!.id, Date.now())
    return stored && { createdAt: stored.createdAt, lastSeenAt: stored.lastSeenAt }
  }
  return { app: protectedApp(auth.middleware(), requireAuth(), (req) => req.auth!.user.id), cookie: () => `__Host-sid=${token}`, session }
}

/**
 * The hand-written ideal: parse the cookie, SHA-256 the secret, look the id up in a Map, compare
 * the hashes in constant time, check the expiry and slide it once a minute. The least a correct
 * opaque-session check does, with the fastest hash Node has (one-shot `crypto.hash()`, as core
 * uses); ours ÷ ideal says how much of the cost is ours.
 */
function idealApp(): Built {
  const token = env('BENCH_SESSION_TOKEN')
  const dot = token.indexOf('.')
  const now = Date.now()
  const sessions = new Map([
    [token.slice(0, dot), { userId: user.id, secretHash: hash('sha256', token.slice(dot + 1), 'buffer'), lastSeenAt: now, idleExpiresAt: now + 7 * day, absoluteExpiresAt: now + 30 * day }],
  ])
  const cookieValue = (header: string | undefined, name: string): string | undefined => {
    if (header === undefined) return undefined
    let found: string | undefined
    for (const part of header.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0 && part.slice(0, eq).trim() === name) {
        if (found !== undefined) return undefined // sent twice: refuse
        found = part.slice(eq + 1).trim()
      }
    }
    return found
  }
  const authenticate: RequestHandler = (req, res, next) => {
    const value = cookieValue(req.headers.cookie, '__Host-sid')
    const split = value?.indexOf('.') ?? -1
    if (value !== undefined && split > 0) {
      const record = sessions.get(value.slice(0, split))
      const secretHash = hash('sha256', value.slice(split + 1), 'buffer')
      const at = Date.now()
      if (record && timingSafeEqual(record.secretHash, secretHash) && at < record.idleExpiresAt && at < record.absoluteExpiresAt) {
        if (at - record.lastSeenAt >= 60_000) {
          record.lastSeenAt = at
          record.idleExpiresAt = Math.min(at + 7 * day, record.absoluteExpiresAt)
          res.cookie('__Host-sid', value, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: 7 * day })
        }
        res.locals.userId = record.userId
      }
    }
    next()
  }
  const guard: RequestHandler = (_req, res, next) => {
    if (res.locals.userId === undefined) res.status(401).type('application/problem+json').json({ type: 'about:blank', title: 'Unauthorized', status: 401 })
    else next()
  }
  return { app: protectedApp(authenticate, guard, (_req, res) => res.locals.userId as string), cookie: () => `__Host-sid=${token}` }
}

/** express-session with its defaults (it touches the store on every request); `genid` gives the shared id. */
async function expressSessionApp(store: session.Store | undefined): Promise<Built> {
  const sid = env('BENCH_EXPRESS_SID')
  const login = express()
  const middleware = session({ secret, resave: false, saveUninitialized: false, name: 'sid', genid: () => sid, ...(store ? { store } : {}) })
  login.use(middleware)
  login.post('/login', (req, res) => {
    req.session.userId = user.id
    res.end()
  })
  const server = login.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/login`, { method: 'POST' })
  server.close()
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  const guard: RequestHandler = (req, res, next) => {
    if (!req.session.userId) res.status(401).end()
    else next()
  }
  return { app: protectedApp(middleware, guard, (req) => req.session.userId!), cookie: () => cookie }
}

/** The token strategy: `__Host-access` verified locally; a fresh access token per round (they live 10 min). */
async function tokenApp(): Promise<Built> {
  const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'bench-key-encryption-secret-0123456789' })
  await keyRing.ready()
  const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const refreshFamilies = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions })
  // createAuth's own verifier, with its default verified-token cache.
  const auth = acmeAuth(sessions, { strategy: 'token', tokens: { keyRing, accessTokens, refreshFamilies } })
  const cookie = async () => {
    const issued = await auth.issueSession(user)
    return issued.cookie.split('; ').find((pair) => pair.startsWith('__Host-access='))!
  }
  return { app: protectedApp(auth.middleware(), requireAuth(), (req) => req.auth!.user.id), cookie }
}

/**
 * The Fetch adapter: `GET /auth/session` through `createFetchAuth().handler` (memory store), on
 * Node's HTTP server; `fetch-bare` is the same server with a handler that reads nothing.
 */
async function fetchSessionApp(): Promise<Built> {
  const token = env('BENCH_SESSION_TOKEN')
  const store = new MemorySessionStore()
  await store.create(await recordFor(token), Date.now())
  const auth = createFetchAuth(acmeAuth(createSessionManager({ store })))
  // The CSRF cookie a browser holds, bound to the session (the one its first /auth/session set):
  // every later /auth/session then issues no new one.
  const first = await auth.handler(new Request(`${origin}/auth/session`, { headers: { cookie: `__Host-sid=${token}` } }))
  const csrf = first.headers.getSetCookie().map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('__Host-csrf='))
  if (csrf === undefined) throw new Error('GET /auth/session set no __Host-csrf cookie')
  return { app: fetchListener((request) => auth.handler(request), '/auth/session'), cookie: () => `__Host-sid=${token}; ${csrf}` }
}

/** A pool on the bench's PostgreSQL, sized like an app's (node-postgres defaults, bounded timeouts as the core README says). */
function postgresPool(max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: env('BENCH_DATABASE_URL'), max, connectionTimeoutMillis: 1000, query_timeout: 2000 })
  pool.on('error', () => {})
  return pool
}

/** PostgresSessionStore in a schema of its own (migrated at start-up); cached: LISTEN on a pool of its own. */
async function acmePostgresApp(schema: string, cache: boolean): Promise<Built> {
  const pool = postgresPool()
  await migrate(pool, { schema })
  const listenPool = cache ? postgresPool(1) : undefined
  const store = new PostgresSessionStore({ pool, schema, ...(listenPool ? { listenPool } : {}) })
  const built = await acmeSessionApp(store, cache)
  if (cache) await store.ready()
  return {
    ...built,
    stop: async () => {
      await store.close()
      await Promise.all([pool.end(), listenPool?.end()])
    },
  }
}

/** connect-pg-simple with its defaults (a touch, an UPDATE, on every request), its table in a schema of its own. */
async function expressSessionPostgresApp(schema: string): Promise<Built> {
  const pool = postgresPool()
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  const PGStore = connectPgSimple(session)
  const store = new PGStore({ pool, schemaName: schema, createTableIfMissing: true })
  const built = await expressSessionApp(store)
  return {
    ...built,
    stop: async () => {
      store.close()
      await pool.end()
    },
  }
}

async function build(scenario: ProtectedScenario): Promise<Built> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const prefix = `${process.env.BENCH_PREFIX ?? `bench:${process.pid}:`}${scenario}:`
  switch (scenario) {
    case 'bare':
      return { app: protectedApp(undefined, undefined, () => user.id), cookie: () => '' }
    case 'ideal':
      return idealApp()
    case 'acme-memory':
      return acmeSessionApp(new MemorySessionStore(), false)
    case 'acme-redis':
    case 'acme-redis-cached': {
      const client = new Redis(redisUrl, { enableOfflineQueue: false, lazyConnect: true })
      await client.connect()
      const store = new RedisSessionStore({ client, prefix })
      await store.ready()
      const built = await acmeSessionApp(store, scenario === 'acme-redis-cached')
      return { ...built, stop: () => store.close().finally(() => client.disconnect()) }
    }
    case 'express-session-memory':
      return expressSessionApp(undefined)
    case 'express-session-redis': {
      const client = createClient({ url: redisUrl })
      await client.connect()
      const built = await expressSessionApp(new RedisStore({ client, prefix }))
      return { ...built, stop: () => client.quit().then(() => undefined) }
    }
    case 'acme-postgres':
    case 'acme-postgres-cached':
    case 'express-session-postgres': {
      // One schema per scenario (they all put the same session id in), at most 40 characters.
      const schema = `bench_${process.pid}_${scenario.replaceAll('-', '_')}`
      return scenario === 'express-session-postgres' ? expressSessionPostgresApp(schema) : acmePostgresApp(schema, scenario === 'acme-postgres-cached')
    }
    case 'acme-token':
      return tokenApp()
    case 'fetch-bare':
      return { app: fetchListener(() => Promise.resolve(Response.json({ user: { id: user.id } }))), cookie: () => '' }
    case 'acme-fetch-session':
      return fetchSessionApp()
  }
}

const scenario = process.argv[2] as ProtectedScenario
if (!scenarios.includes(scenario)) throw new Error(`unknown scenario ${process.argv[2]}; one of ${scenarios.join(', ')}`)
const built = await build(scenario)
const answers: Answers = { cookie: built.cookie, session: built.session ?? (() => null) }
serveBench(built.app, answers, built.stop)
