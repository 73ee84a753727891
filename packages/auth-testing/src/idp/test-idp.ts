import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair } from 'jose'
import type { Account, Provider, ProviderConstructor } from './oidc-provider-types.js'
import { followLogin, type TestIdPLoginOptions } from './idp-login.js'
import { handleInteraction } from './idp-interactions.js'

/** An end user of the test IdP. */
export interface TestIdPAccount {
  /** The subject identifier (`sub`); also what `login({ account })` picks. */
  sub: string
  email?: string
  /** @default true when `email` is set */
  emailVerified?: boolean
  name?: string
}

/** A client (relying party) registered at the test IdP. */
export interface TestIdPClient {
  clientId: string
  /** Omit for a public client: PKCE only, `token_endpoint_auth_method: none`. */
  clientSecret?: string
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
}

/** Options of {@link startTestIdP}. */
export interface TestIdPOptions {
  clients: TestIdPClient[]
  /** @default alice (verified email) and bob (verified email) */
  accounts?: TestIdPAccount[]
  /** Lifetimes in seconds. @default { accessToken: 60, idToken: 60, refreshToken: 600, authorizationCode: 60 } */
  ttl?: { accessToken?: number; idToken?: number; refreshToken?: number; authorizationCode?: number }
  /** Loopback port to listen on. @default a free one */
  port?: number
}

/** A running test OpenID Provider. */
export interface TestIdP {
  /** `http://127.0.0.1:<port>`: discovery at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string
  readonly accounts: readonly TestIdPAccount[]
  /**
   * Completes a login as a browser would: follows the authorization URL through the IdP (its own
   * cookie jar), logs `account` in (or denies), grants consent, and returns the redirect back to
   * the client (`?code=…&state=…&iss=…`, or `?error=access_denied…`) without following it.
   */
  login(authorizationUrl: string | URL, options?: TestIdPLoginOptions): Promise<URL>
  /** Closes the server and its connections. */
  stop(): Promise<void>
}

export type { TestIdPLoginOptions }

const defaultAccounts: TestIdPAccount[] = [
  { sub: 'alice', email: 'alice@example.com', name: 'Alice' },
  { sub: 'bob', email: 'bob@example.com', name: 'Bob' },
]

/**
 * A real OpenID Provider (`oidc-provider`) on a loopback port, for integration tests of OAuth and
 * OIDC sign-in: discovery, JWKS, authorization code with PKCE (required), refresh tokens (always
 * issued), userinfo, RP-initiated logout, and short lifetimes. Login and consent are programmatic
 * (`login()`), or a bare HTML page listing the accounts when a real browser visits.
 *
 * Only for tests and local demos: it trusts anyone who asks to be an account, and keeps everything
 * in memory. It listens on 127.0.0.1 only.
 *
 * @example
 * ```ts
 * import { startTestIdP } from '@acme/auth-testing'
 *
 * const idp = await startTestIdP({
 *   clients: [{ clientId: 'app', clientSecret: 'app-secret', redirectUris: ['http://127.0.0.1:3000/auth/oauth/idp/callback'] }],
 *   ttl: { accessToken: 10 },
 * })
 * const callback = await idp.login(authorizationUrlFromYourApp, { account: 'alice' })
 * callback.searchParams.get('code') // give this URL to your app's callback route
 * await idp.stop()
 * ```
 */
export async function startTestIdP(options: TestIdPOptions): Promise<TestIdP> {
  if (!Array.isArray(options.clients) || options.clients.length === 0) throw new TypeError('startTestIdP: options.clients must list at least one client')
  const accounts = (options.accounts ?? defaultAccounts).map((account) => Object.freeze({ ...account }))
  const ttl = { accessToken: 60, idToken: 60, refreshToken: 600, authorizationCode: 60, ...options.ttl }

  let provider: Provider | undefined
  const server: Server = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end()
    if (req.url?.startsWith('/interaction/')) return void handleInteraction(provider, accounts, req, res).catch(() => fail(res))
    provider.callback()(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  try {
    // Loaded here so that importing @acme/auth-testing does not load the provider (and Koa); the
    // module has no type declarations, hence the specifier in a variable and our own types.
    const specifier: string = 'oidc-provider'
    const { default: OidcProvider } = (await import(specifier)) as { default: ProviderConstructor }
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = { ...(await exportJWK(privateKey)), kid: `test-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' }
    provider = new OidcProvider(issuer, {
      clients: options.clients.map((client) => ({
        client_id: client.clientId,
        ...(client.clientSecret === undefined ? { token_endpoint_auth_method: 'none' } : { client_secret: client.clientSecret }),
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      })),
      findAccount: (_ctx, id) => {
        const account = accounts.find((candidate) => candidate.sub === id)
        return account ? accountOf(account) : undefined
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      jwks: { keys: [jwk] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: { enabled: true },
        revocation: { enabled: true },
      },
      pkce: { required: () => true },
      // Always a refresh token (no offline_access dance): refresh is what RP tests exercise.
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      ttl: {
        AccessToken: ttl.accessToken,
        IdToken: ttl.idToken,
        RefreshToken: ttl.refreshToken,
        AuthorizationCode: ttl.authorizationCode,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
      },
    })
  } catch (error) {
    server.close()
    throw error
  }

  return {
    issuer,
    accounts,
    login: (authorizationUrl, loginOptions = {}) =>
      followLogin(issuer, new URL(authorizationUrl), { ...(accounts[0] ? { defaultAccount: accounts[0].sub } : {}), ...loginOptions }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function accountOf(account: TestIdPAccount): Account {
  return {
    accountId: account.sub,
    claims: () => ({
      sub: account.sub,
      ...(account.email === undefined ? {} : { email: account.email, email_verified: account.emailVerified ?? true }),
      ...(account.name === undefined ? {} : { name: account.name }),
    }),
  }
}

function fail(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
  res.end('interaction failed')
}
