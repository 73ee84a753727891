import type { BearerTokenSource } from '../bff/bff-proxy.js'
import { coreOf, type AuthCore } from '../core/create-auth-core.js'
import { expressHandler, type ExpressRequestHandler } from '../express/express-handler.js'
import type { RequestAuth } from '../core/request-auth.js'
import { resolveOAuthConfig } from './oauth-config.js'
import type { OAuthOptions } from './oauth-options.js'
import { createProviderClient, type ProviderClient } from './oauth-provider.js'
import { createTransactions } from './oauth-transaction.js'
import { createOAuthHandler } from './oauth-handler.js'
import { logoutUrlFor } from './logout-route.js'
import { createProviderTokenSource } from './provider-token-source.js'
import { createProviderTokenVault } from './provider-tokens.js'
import { createSealedBox } from './sealed-box.js'

/** What {@link createOAuth} returns. */
export interface OAuth {
  /**
   * Express: `GET /:provider`, `GET /:provider/callback` and `POST /logout`. Mount at
   * `http.basePath` (default `/auth/oauth`). When that path is under the auth routes' prefix,
   * `auth.router()` and the Fetch and Next.js handlers serve these routes too, with no mounting.
   */
  router(): ExpressRequestHandler
  /**
   * The BFF's `provider` mode: the signed-in session's access token from its provider, refreshed
   * single-flight when it is about to expire or the upstream refused it. With `provider`, only
   * sessions that signed in with that provider get a token (others: 401).
   */
  tokenSource(provider?: string): BearerTokenSource
  /**
   * The provider's end-session URL for a session (`req.auth` in Express, `getAuth()`'s `auth`
   * elsewhere), or `null` (no provider session, or no `end_session_endpoint`).
   */
  logoutUrl(request: { auth?: RequestAuth | null } | RequestAuth | null): Promise<string | null>
  /**
   * Forgets a session's provider tokens. Rarely needed: every session that ends in this process
   * (any sign-out route, `sessions.revoke()` or `revokeAllForUser()` by the app) already forgets
   * them through `auth.onSessionEnd`.
   */
  forgetSession(sessionId: string): Promise<void>
}

/** Provider tokens are kept as long as the default absolute session lifetime, unless signed out first. */
const keepMs = 30 * 24 * 60 * 60 * 1000

/**
 * Sign-in with OAuth 2.0 and OpenID Connect providers (authorization code + PKCE S256, through
 * `openid-client`), on top of `createAuth()`: the callback signs in with a NEW session through
 * `auth.signIn()`, and keeps the provider's tokens on the server, sealed, for the BFF.
 *
 * @example
 * ```ts
 * const oauth = createOAuth(auth, {
 *   providers: {
 *     corp: { issuer: 'https://login.corp.example', clientId: 'app', clientSecret: process.env.CORP_SECRET! },
 *     github: {
 *       clientId: 'Iv1.x', clientSecret: process.env.GITHUB_SECRET!, scopes: ['read:user', 'user:email'],
 *       endpoints: { authorization: 'https://github.com/login/oauth/authorize', token: 'https://github.com/login/oauth/access_token', userinfo: 'https://api.github.com/user' },
 *     },
 *   },
 *   users: { findOrCreate: (identity) => accounts.findOrCreateByProvider(identity) },
 *   secret: process.env.OAUTH_SECRET!,
 *   http: { origin: 'https://app.example.com', errorPage: '/sign-in?failed' },
 * })
 * app.use('/auth/oauth', oauth.router()) // before app.use('/auth', auth.router())
 * app.use(auth.bff({ upstream: 'https://api.example.com', tokens: oauth.tokenSource('corp') }))
 * ```
 */
export function createOAuth(auth: AuthCore | { core: AuthCore }, options: OAuthOptions): OAuth {
  const core = coreOf(auth)
  const config = resolveOAuthConfig(options)
  const providers = new Map<string, ProviderClient>()
  for (const [name, entry] of config.providers) {
    providers.set(name, createProviderClient(name, entry, `${config.origin}${config.basePath}/${name}/callback`))
  }
  const transactions = createTransactions(createSealedBox(config.secrets, 'oauth-transaction'), config.transactions, config.clock, config.secureCookies)
  const vault = createProviderTokenVault(config.tokens, createSealedBox(config.secrets, 'provider-tokens'), config.clock)
  const deps = { config, core, providers, transactions, vault, keepMs, origin: config.origin }
  // Whatever ends a session here (logout, logout-all, a device list, an admin's revoke) forgets its
  // provider tokens. A revocation in another process (the CLI) does not reach this listener: those
  // tokens are unusable anyway (they are only read for a live session) and expire with keepMs.
  core.onSessionEnd(({ sessionId }) => vault.delete(sessionId))
  const handler = createOAuthHandler(deps)
  const router = expressHandler(handler)
  const under = `${core.basePath}/`
  if (config.basePath.startsWith(under) && !config.basePath.slice(under.length).includes('/')) {
    core.mount(config.basePath.slice(core.basePath.length), handler)
  }

  return Object.freeze({
    router: () => router,
    tokenSource: (provider?: string) => {
      if (provider !== undefined && !providers.has(provider)) throw new TypeError(`oauth.tokenSource: no provider named ${provider}`)
      return createProviderTokenSource(providers, vault, config.clock, keepMs, provider)
    },
    logoutUrl: (request: { auth?: RequestAuth | null } | RequestAuth | null) =>
      logoutUrlFor(deps, request !== null && 'session' in request ? request : request?.auth),
    forgetSession: (sessionId: string) => vault.delete(sessionId),
  })
}
