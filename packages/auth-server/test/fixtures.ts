// Test fixtures: an app wired the way the README tells users to wire it.
import {
  createAccessTokens,
  createAccessTokenVerifier,
  createRefreshFamilies,
  MemoryRefreshStore,
  createSessionManager,
  MemorySessionStore,
  type Clock,
  type AuditSink, type LoginLimiter, type PasswordHasher, type SessionManager, type SessionStore } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createRecordingAuditSink, createTestKeyRing, createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import express, { type Express } from 'express'
import request from 'supertest'
import { createAuth, problemErrorHandler, requireAuth, requireRole, type DirectoryUser } from '../src/index.js'

export const origin = 'https://app.example.com'
export const secret = 'test-secret-that-is-long-enough-0123456789'

/** Core's scrypt hasher at a cost that keeps tests fast (hash cost is tested in core). */
export const testHasher = (logN = 10) => createScryptHasher({ logN })

export interface TestApp {
  app: Express
  auth: ReturnType<typeof createAuth>
  sessions: SessionManager
  store: SessionStore
  users: Map<string, DirectoryUser>
  passwords: PasswordHasher
}

export interface TestAppOptions {
  limiter?: LoginLimiter
  store?: SessionStore
  sessions?: SessionManager
  passwords?: PasswordHasher
  audit?: AuditSink
  strategy?: 'session' | 'token'
  /** Enables tokens (key ring, access tokens, refresh families) even for the session strategy. */
  tokens?: boolean
  nativeClients?: boolean
  /** Time for the key ring, access tokens and refresh families. */
  clock?: Clock
}

/** Key ring, access tokens and refresh families in memory, the way the README wires them. */
export async function createTestTokens(clock?: Clock, nativeClients = false) {
  const keyRing = await createTestKeyRing(clock ? { clock } : {})
  const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin, ...(clock ? { clock } : {}) })
  const refreshFamilies = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, audit: createRecordingAuditSink(), ...(clock ? { clock } : {}) })
  // The verifier must read the same clock as the issuer, or a moved test clock could not expire tokens.
  const verifier = createAccessTokenVerifier({ keyRing, issuer: origin, audience: origin, ...(clock ? { clock } : {}) })
  return { keyRing, accessTokens, refreshFamilies, verifier, nativeClients }
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const passwords = options.passwords ?? testHasher()
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const directory = createTestUserDirectory([alice, bob])
  const store = options.store ?? new MemorySessionStore()
  const sessions = options.sessions ?? createSessionManager({ store })
  const auth = createAuth({
    sessions,
    passwords,
    users: directory,
    http: { origin, secret, ...(options.limiter ? { limiter: options.limiter } : {}) },
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(options.strategy === 'token' || options.tokens || options.nativeClients
      ? { tokens: await createTestTokens(options.clock, options.nativeClients) }
      : {}),
    // Every event goes to a recording sink: the setup file checks them all for secrets.
    audit: options.audit ?? createRecordingAuditSink(),
  })
  const app = express()
  app.set('trust proxy', false)
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  app.get('/api/me', requireAuth(), (req, res) => {
    res.json(req.auth)
  })
  app.get('/api/admin', requireRole('admin'), (_req, res) => {
    res.json({ ok: true })
  })
  app.use(problemErrorHandler())
  return { app, auth, sessions, store, users: directory.users, passwords }
}

/**
 * A browser-like client: keeps cookies (a small jar that, unlike supertest's, sends `Secure`
 * cookies over the test's plain HTTP, as a browser does for localhost), sends Origin, and sends
 * the CSRF header on unsafe methods like auth-react does.
 */
export function browser(app: Express) {
  const jar = new Map<string, { value: string; path: string }>()
  let csrf = ''
  const cookieHeader = (path: string) =>
    [...jar].filter(([, cookie]) => path.startsWith(cookie.path)).map(([name, cookie]) => `${name}=${cookie.value}`).join('; ')
  const remember = (res: request.Response) => {
    for (const line of setCookies(res)) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim())
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/'
      if (attributes.some((a) => a.toLowerCase() === 'max-age=0')) jar.delete(name)
      else jar.set(name, { value: pair!.slice(eq + 1), path })
    }
    return res
  }
  const send = async (method: 'get' | 'post' | 'delete', path: string, body?: object, headers: Record<string, string> = {}) => {
    let req = request(app)[method](path).set('origin', origin)
    const cookie = cookieHeader(path)
    if (cookie) req = req.set('cookie', cookie)
    if (method !== 'get') req = req.set('x-csrf-token', csrf)
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value)
    return remember(await (body ? req.send(body) : req))
  }
  return {
    jar,
    get csrf() {
      return csrf
    },
    set csrf(value: string) {
      csrf = value
    },
    cookie(name: string) {
      return jar.get(name)?.value
    },
    async fetchCsrf() {
      const res = await send('get', '/auth/csrf')
      csrf = (res.body as { csrfToken: string }).csrfToken
      return csrf
    },
    async login(email: string, password: string) {
      if (!csrf) await this.fetchCsrf()
      const res = await send('post', '/auth/login', { email, password })
      if (res.status === 200) csrf = (res.body as { csrfToken: string }).csrfToken
      return res
    },
    /** An unsent request with this browser's cookies, Origin and CSRF header, for raw bodies. */
    raw(method: 'post' | 'delete', path: string) {
      let req = request(app)[method](path).set('origin', origin).set('x-csrf-token', csrf)
      const cookie = cookieHeader(path)
      if (cookie) req = req.set('cookie', cookie)
      return req
    },
    get: (path: string, headers?: Record<string, string>) => send('get', path, undefined, headers),
    post: (path: string, body?: object, headers?: Record<string, string>) => send('post', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => send('delete', path, undefined, headers),
  }
}

/** The Set-Cookie lines of a response, as an array. */
export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const value = res.headers['set-cookie']
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : []
}
