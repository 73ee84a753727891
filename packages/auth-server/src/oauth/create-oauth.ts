import type { Request, Router } from 'express'
import type { BearerTokenSource } from '../bff/bff-proxy.js'
import type { Auth } from '../create-auth.js'
import { resolveOAuthConfig } from './oauth-config.js'
import type { OAuthOptions } from './oauth-options.js'
import { createProviderClient, type ProviderClient } from './oauth-provider.js'
import { createTransactions } from './oauth-transaction.js'
import { createOAuthRouter } from './oauth-router.js'
import { logoutUrlFor } from './logout-route.js'
import { createProviderTokenSource } from './provider-token-source.js'
import { createProviderTokenVault } from './provider-tokens.js'
import { createSealedBox } from './sealed-box.js'

/** What {@link createOAuth} returns. */
export interface OAuth {
  /**
   * `GET /:provider`, `GET /:provider/callback` and `POST /logout`. Mount at `http.basePath`
   * (default `/auth/oauth`), BEFORE `auth.router()` (whose 404 would otherwise answer first).
   */
  router(): Router
  /**
   * The BFF's `provider` mode: the signed-in session's access token from its provider, refreshed
   * single-flight when it is about to expire or the upstream refused it. With `provider`, only
   * sessions that signed in with that provider get a token (others: 401).
   */
  tokenSource(provider?: string): BearerTokenSource
  /** The provider's end-session URL for this request's session, or `null` (no provider session, or no `end_session_endpoint`). */
  logoutUrl(req: Request): Promise<string | null>
  /** Forgets a session's provider tokens (your own sign-out paths; `POST /logout` of the router does it). */
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
export function createOAuth(auth: Auth, options: OAuthOptions): OAuth {
  const config = resolveOAuthConfig(options)
  const providers = new Map<string, ProviderClient>()
  for (const [name, entry] of config.providers) {
    providers.set(name, createProviderClient(name, entry, `${config.origin}${config.basePath}/${name}/callback`))
  }
  const transactions = createTransactions(createSealedBox(config.secrets, 'oauth-transaction'), config.transactions, config.clock, config.secureCookies)
  const vault = createProviderTokenVault(config.tokens, createSealedBox(config.secrets, 'provider-tokens'), config.clock)
  const deps = { config, auth, providers, transactions, vault, keepMs, origin: config.origin }

  return Object.freeze({
    router: () => createOAuthRouter(deps),
    tokenSource: (provider?: string) => {
      if (provider !== undefined && !providers.has(provider)) throw new TypeError(`oauth.tokenSource: no provider named ${provider}`)
      return createProviderTokenSource(providers, vault, config.clock, keepMs, provider)
    },
    logoutUrl: (req: Request) => logoutUrlFor(deps, req),
    forgetSession: (sessionId: string) => vault.delete(sessionId),
  })
}
