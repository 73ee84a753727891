// Test fixtures: an app wired the way the README tells users to wire it.
import {
  createAccessTokens,
  createAccessTokenVerifier,
  createRefreshFamilies,
  MemoryRefreshStore,
  createSessionManager,
  MemorySessionStore,
  type AccessTokenVerifierCacheOptions,
  type Clock,
  type AuditSink, type LoginLimiter, type PasswordHasher, type SessionManager, type SessionStore } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createRecordingAuditSink, createTestKeyRing, createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
import express, { type Express } from 'express'
import request from 'supertest'
import { createAuth, problemErrorHandler, requireAuth, requireRole, type DirectoryUser } from '../src/index.js'
import type { AuthLimitsOptions, AuthSecondFactorOptions } from '../src/index.js'

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
  /** The key ring, access tokens and refresh families, when the app has tokens. */
  tokens: Awaited<ReturnType<typeof createTestTokens>> | undefined
}

export interface TestAppOptions {
  limiter?: LoginLimiter
  /** `http.limits`: on by default, as in an app. */
  limits?: false | AuthLimitsOptions
  store?: SessionStore
  sessions?: SessionManager
  passwords?: PasswordHasher
  audit?: AuditSink
  strategy?: 'session' | 'token'
  /** Enables tokens (key ring, access tokens, refresh families) even for the session strategy. */
  tokens?: boolean
  nativeClients?: boolean
  /** The `aud` of native clients' access tokens. */
  nativeAudience?: string
  /** Time for the key ring, access tokens, refresh families and sessions. */
  clock?: Clock
  /**
   * Lets `createAuth` build the access-cookie verifier itself (on the system clock), with this
   * `tokens.verifierCache` (`{}` for its default), instead of the fixture's verifier on `clock`.
   */
  defaultVerifier?: { verifierCache?: false | AccessTokenVerifierCacheOptions }
  /** `secondFactors` (TOTP, recovery codes, the MFA gate). */
  secondFactors?: AuthSecondFactorOptions
}

/** Key ring, access tokens and refresh families (bound to `sessions`) in memory, the way the README wires them. */
export async function createTestTokens(clock?: Clock, nativeClients = false, sessions?: SessionManager, nativeAudience?: string) {
  const keyRing = await createTestKeyRing(clock ? { clock } : {})
  const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin, ...(clock ? { clock } : {}) })
  const refreshFamilies = createRefreshFamilies({
    store: new MemoryRefreshStore(),
    accessTokens,
    sessions: sessions ?? createSessionManager({ store: new MemorySessionStore(), ...(clock ? { clock } : {}) }),
    audit: createRecordingAuditSink(),
    ...(clock ? { clock } : {}),
  })
  // The verifier must read the same clock as the issuer, or a moved test clock could not expire tokens.
  // It caches verified tokens, as the one createAuth builds does by default.
  const verifier = createAccessTokenVerifier({ keyRing, issuer: origin, audience: origin, cache: {}, ...(clock ? { clock } : {}) })
  return { keyRing, accessTokens, refreshFamilies, verifier, nativeClients, ...(nativeAudience === undefined ? {} : { nativeAudience }) }
}

function withDefaultVerifier(tokens: Awaited<ReturnType<typeof createTestTokens>>, options: NonNullable<TestAppOptions['defaultVerifier']>) {
  const { verifier: _fixtures, ...rest } = tokens
  return { ...rest, ...(options.verifierCache === undefined ? {} : { verifierCache: options.verifierCache }) }
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const passwords = options.passwords ?? testHasher()
  const { alice, bob } = await createTestUsers({ hasher: passwords })
  const directory = createTestUserDirectory([alice, bob])
  const store = options.store ?? new MemorySessionStore()
  const sessions = options.sessions ?? createSessionManager({ store, ...(options.clock ? { clock: options.clock } : {}) })
  const tokens =
    options.strategy === 'token' || options.tokens || options.nativeClients
      ? await createTestTokens(options.clock, options.nativeClients, sessions, options.nativeAudience)
      : undefined
  const auth = createAuth({
    sessions,
    passwords,
    users: directory,
    http: { origin, secret, ...(options.limiter ? { limiter: options.limiter } : {}), ...(options.limits === undefined ? {} : { limits: options.limits }) },
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(tokens ? { tokens: options.defaultVerifier ? withDefaultVerifier(tokens, options.defaultVerifier) : tokens } : {}),
    // Every event goes to a recording sink: the setup file checks them all for secrets.
    audit: options.audit ?? createRecordingAuditSink(),
    ...(options.secondFactors ? { secondFactors: options.secondFactors } : {}),
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
  return { app, auth, sessions, store, users: directory.users, passwords, tokens }
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
      // A sign-in waiting for its second factor has no session yet: the anonymous token stays good.
      if (res.status === 200 && typeof (res.body as { csrfToken?: unknown }).csrfToken === 'string') csrf = (res.body as { csrfToken: string }).csrfToken
      return res
    },
    /** An unsent request with this browser's cookies, Origin and CSRF header, for raw bodies. */
    raw(method: 'post' | 'patch' | 'delete', path: string) {
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
