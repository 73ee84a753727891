// Test helper, outside src/ so the published build never holds it: an app wired the way the README
// tells users to wire OAuth, in front of a real OpenID Provider from @acme/auth-testing, with hooks
// to alter provider traffic.
import type { Clock } from '@acme/auth-core'
import { createRecordingAuditSink, startTestIdP, type RecordingAuditSink, type TestIdP, type TestIdPLoginOptions, type TestIdPOptions } from '@acme/auth-testing'
import express, { type Express } from 'express'
import { problemErrorHandler, type DirectoryUser } from '../src/index.js'
import { createOAuth, type OAuth } from '../src/oauth/create-oauth.js'
import type { OAuthFetch, OAuthIdentity, OAuthOptions } from '../src/oauth/oauth-options.js'
import { MemoryProviderTokenStore } from '../src/oauth/provider-token-store.js'
import { browser, createTestApp, origin, type TestApp, type TestAppOptions } from './fixtures.js'

export const oauthSecret = 'oauth-test-secret-that-is-long-enough-0123456789'
export const errorPage = '/sign-in-failed'

/** Changes to what the app sends to, or receives from, the provider. */
export interface ProviderTamper {
  /** Throw as if the network were down. */
  down?: boolean
  /** Edits a form body the app sends (token requests). */
  request?: (url: string, body: URLSearchParams) => void
  /** Replaces the token endpoint's JSON answer. */
  tokenResponse?: (json: Record<string, unknown>) => Record<string, unknown>
}

export interface OAuthTestBed {
  idp: TestIdP
  app: Express
  testApp: TestApp
  oauth: OAuth
  tokenStore: MemoryProviderTokenStore
  /** Every audit event of the app (createAuth's sink). */
  audit: RecordingAuditSink
  tamper: ProviderTamper
  /** Form requests the app sent to the provider, with their `grant_type`. */
  grants: { url: string; grantType: string | null }[]
  /** Token endpoint answers the app received (after tampering). */
  tokenAnswers: Record<string, unknown>[]
  identities: OAuthIdentity[]
  /** Starts a new IdP (same clients and accounts, new keys) on the port of the stopped one. */
  restartIdP(): Promise<void>
  /** Mounts more routes (the BFF) before the error handler. */
  extend(mount: (app: Express) => void): void
  stop(): Promise<void>
}

/**
 * The IdP accounts: alice's verified email matches a directory user (linked); mallory claims
 * bob's address unverified (must not be linked); carol is new; blocked is refused by the hook.
 */
const accounts = [
  { sub: 'alice-sub', email: 'Alice@Example.com', name: 'Alice' },
  { sub: 'mallory-sub', email: 'bob@example.com', emailVerified: false, name: 'Mallory' },
  { sub: 'carol-sub', email: 'carol@example.com', name: 'Carol' },
  { sub: 'blocked-sub', email: 'blocked@example.com', name: 'Blocked' },
]

export async function startOAuthTestBed(
  options: { accessTokenTtl?: number; clock?: Clock; limits?: OAuthOptions['limits']; testApp?: TestAppOptions } = {},
): Promise<OAuthTestBed> {
  const idpOptions: TestIdPOptions = {
    clients: [
      {
        clientId: 'app',
        clientSecret: 'app-secret',
        redirectUris: [`${origin}/auth/oauth/demo/callback`, `${origin}/auth/oauth/plain/callback`],
        postLogoutRedirectUris: [`${origin}/`],
      },
      { clientId: 'public-app', redirectUris: [`${origin}/auth/oauth/public/callback`] },
    ],
    accounts,
    ttl: { accessToken: options.accessTokenTtl ?? 60 },
  }
  let idp = await startTestIdP(idpOptions)
  const audit = createRecordingAuditSink()
  const testApp = await createTestApp({ ...options.testApp, audit })
  const tamper: ProviderTamper = {}
  const grants: OAuthTestBed['grants'] = []
  const tokenAnswers: Record<string, unknown>[] = []
  const identities: OAuthIdentity[] = []

  const providerFetch: OAuthFetch = async (url, init) => {
    if (tamper.down) throw new TypeError('fetch failed')
    const body = init.body instanceof URLSearchParams ? init.body : undefined
    if (body) {
      tamper.request?.(url, body)
      grants.push({ url, grantType: body.get('grant_type') })
    }
    const answer = await fetch(url, init)
    if (!url.endsWith('/token') || !answer.ok) return answer
    let json = (await answer.json()) as Record<string, unknown>
    if (tamper.tokenResponse) json = tamper.tokenResponse(json)
    tokenAnswers.push(json)
    return new Response(JSON.stringify(json), { status: answer.status, headers: { 'content-type': 'application/json' } })
  }

  const links = new Map<string, DirectoryUser>()
  const tokenStore = new MemoryProviderTokenStore()
  const oauth = createOAuth(testApp.auth, {
    providers: {
      demo: { issuer: idp.issuer, clientId: 'app', clientSecret: 'app-secret', allowInsecureRequests: true, fetch: providerFetch },
      public: { issuer: idp.issuer, clientId: 'public-app', allowInsecureRequests: true, fetch: providerFetch },
      plain: {
        clientId: 'app',
        clientSecret: 'app-secret',
        scopes: ['openid', 'email', 'profile'],
        endpoints: { authorization: `${idp.issuer}/auth`, token: `${idp.issuer}/token`, userinfo: `${idp.issuer}/me` },
        allowInsecureRequests: true,
        fetch: providerFetch,
      },
    },
    users: {
      // The app's rules: (issuer, sub) first; link by email only when verified; refuse "blocked".
      findOrCreate(identity) {
        identities.push(identity)
        const key = `${identity.issuer}|${identity.sub}`
        const linked = links.get(key)
        if (linked) return Promise.resolve(linked)
        if (identity.sub === 'blocked-sub') return Promise.resolve(null)
        const existing = identity.email !== null && identity.emailVerified ? testApp.users.get(identity.email) : undefined
        const user = existing ?? { id: `u-${identity.sub}`, email: identity.email ?? '', name: identity.name ?? '', roles: ['member'], passwordHash: null }
        if (!existing) testApp.users.set(`${identity.sub}@users.invalid`, user)
        links.set(key, user)
        return Promise.resolve(user)
      },
    },
    secret: oauthSecret,
    http: { origin, errorPage },
    stores: { tokens: tokenStore },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  })

  const app = express()
  app.set('trust proxy', false)
  app.use(testApp.auth.middleware())
  app.use('/auth/oauth', oauth.router())
  app.use('/auth', testApp.auth.router())
  const tail = express.Router()
  app.use(tail)
  app.use(problemErrorHandler())

  return {
    get idp() {
      return idp
    },
    async restartIdP() {
      idp = await startTestIdP({ ...idpOptions, port: Number(new URL(idp.issuer).port) })
    },
    app,
    testApp,
    oauth,
    tokenStore,
    audit,
    tamper,
    grants,
    tokenAnswers,
    identities,
    extend: (mount) => {
      const inner = express()
      mount(inner)
      tail.use(inner)
    },
    stop: () => idp.stop().catch(() => undefined),
  }
}

/** A browser signed in through the provider: start, log in at the IdP, callback. */
export async function signInWithProvider(bed: OAuthTestBed, b: ReturnType<typeof browser>, provider = 'demo', login: TestIdPLoginOptions = { account: 'alice-sub' }, returnTo = '/notes') {
  const start = await b.get(`/auth/oauth/${provider}?returnTo=${encodeURIComponent(returnTo)}`)
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${JSON.stringify(start.body)}`)
  const callback = await bed.idp.login(start.headers.location as string, login)
  const res = await b.get(`${callback.pathname}${callback.search}`)
  return { start, callback, res }
}

export { browser, origin }

/** The Set-Cookie lines of a response. */
export function setCookieLines(res: { headers: Record<string, unknown> }): string[] {
  const value = res.headers['set-cookie']
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : []
}

/** The `code` of a problem+json answer. */
export const codeOf = (res: { body: unknown }) => (res.body as { code?: string }).code

/** The `user` of a `GET /auth/session` answer. */
export const userOf = (res: { body: unknown }) => (res.body as { user: { id: string; email: string; name: string } | null }).user
