import * as client from 'openid-client'
import type { OAuth2ProviderOptions, OAuthIdentity, OAuthProfile, OAuthProviderOptions, OidcProfile } from './oauth-options.js'
import { OAuthError } from './oauth-error.js'

/** The token endpoint's answer, as openid-client gives it (validated). */
export type ProviderTokens = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers

/** One configured provider at run time. Internal. */
export interface ProviderClient {
  readonly name: string
  readonly kind: 'oidc' | 'oauth2'
  readonly redirectUri: string
  readonly scope: string
  /** openid-client's configuration: discovered once (and again after a failure). */
  configuration(): Promise<client.Configuration>
  /** Who signed in, from validated tokens (ID token and userinfo, or the profile endpoint). */
  identity(config: client.Configuration, tokens: ProviderTokens): Promise<Omit<OAuthIdentity, 'provider'>>
}

const discoveryTimeoutSeconds = 10

export function createProviderClient(name: string, options: OAuthProviderOptions, redirectUri: string): ProviderClient {
  const kind = 'issuer' in options ? 'oidc' : 'oauth2'
  const scope = (options.scopes ?? (kind === 'oidc' ? ['openid', 'email', 'profile'] : [])).join(' ')
  const metadata: Partial<client.ClientMetadata> = { redirect_uris: [redirectUri], response_types: ['code'] }
  const clientAuth =
    options.clientSecret === undefined
      ? client.None()
      : options.clientAuthentication === 'client_secret_post'
        ? client.ClientSecretPost(options.clientSecret)
        : client.ClientSecretBasic(options.clientSecret)
  const execute = [
    ...(options.allowInsecureRequests === true ? [client.allowInsecureRequests] : []),
    // openid-client trusts TLS for ID tokens from the token endpoint; we verify their signatures
    // through the provider's JWKS as well (non-repudiation, and no trust in the transport alone).
    ...(kind === 'oidc' ? [client.enableNonRepudiationChecks] : []),
  ]
  let pending: Promise<client.Configuration> | undefined

  const discover = async (): Promise<client.Configuration> => {
    if ('issuer' in options) {
      return client.discovery(new URL(options.issuer), options.clientId, metadata, clientAuth, {
        execute,
        timeout: discoveryTimeoutSeconds,
        ...(options.fetch ? { [client.customFetch]: options.fetch } : {}),
      })
    }
    const config = new client.Configuration(
      {
        issuer: issuerOf(options),
        authorization_endpoint: options.endpoints.authorization,
        token_endpoint: options.endpoints.token,
        userinfo_endpoint: options.endpoints.userinfo,
      },
      options.clientId,
      metadata,
      clientAuth,
    )
    for (const step of execute) step(config)
    config.timeout = discoveryTimeoutSeconds
    if (options.fetch) config[client.customFetch] = options.fetch
    return config
  }

  return {
    name,
    kind,
    redirectUri,
    scope,
    configuration() {
      pending ??= discover().catch((error: unknown) => {
        pending = undefined // try again on the next sign-in: the provider may be back
        throw new OAuthError('ERR_OAUTH_PROVIDER_UNAVAILABLE', `provider ${name}: discovery failed`, { cause: error })
      })
      return pending
    },
    async identity(config, tokens) {
      if ('issuer' in options) {
        const idClaims = tokens.claims()
        if (!idClaims) throw new OAuthError('ERR_OAUTH_ID_TOKEN_INVALID', `provider ${name}: no ID token`)
        const userinfo =
          options.userinfo !== false && config.serverMetadata().userinfo_endpoint
            ? await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
            : {}
        // The ID token's claims win: they are signed and were checked against our nonce.
        const claims: Record<string, unknown> = { ...userinfo, ...idClaims }
        const profile = (options.profile ?? defaultOidcProfile)(claims)
        return {
          issuer: idClaims.iss,
          sub: idClaims.sub,
          ...contact(profile.email ?? null, profile.emailVerified === true, profile.name ?? null),
          claims,
        }
      }
      const claims = await readJson(config, tokens, name, 'userinfo', options.endpoints.userinfo)
      if (Array.isArray(claims)) throw new OAuthError('ERR_OAUTH_PROVIDER_ERROR', `provider ${name}: userinfo is not an object`)
      const resources: Record<string, unknown> = {}
      for (const [key, url] of Object.entries(options.endpoints.resources ?? {})) {
        resources[key] = await readJson(config, tokens, name, key, url)
      }
      const profile = (options.profile ?? defaultProfile)(claims, resources)
      if (typeof profile.sub !== 'string' || profile.sub === '') throw new OAuthError('ERR_OAUTH_PROVIDER_ERROR', `provider ${name}: the profile has no subject`)
      return {
        issuer: issuerOf(options),
        sub: profile.sub,
        ...contact(profile.email ?? null, profile.emailVerified === true, profile.name ?? null),
        claims,
      }
    },
  }
}

/** A protected resource's JSON (an object or an array), read with the access token. */
async function readJson(config: client.Configuration, tokens: ProviderTokens, name: string, label: string, url: string): Promise<Record<string, unknown> | unknown[]> {
  const answer = await client.fetchProtectedResource(config, tokens.access_token, new URL(url), 'GET', undefined, new Headers({ accept: 'application/json' }))
  if (!answer.ok) throw new OAuthError('ERR_OAUTH_PROVIDER_ERROR', `provider ${name}: ${label} answered ${answer.status}`)
  const json: unknown = await answer.json().catch(() => undefined)
  if (typeof json !== 'object' || json === null) throw new OAuthError('ERR_OAUTH_PROVIDER_ERROR', `provider ${name}: ${label} is not JSON`)
  return json as Record<string, unknown> | unknown[]
}

function issuerOf(options: OAuth2ProviderOptions): string {
  return options.endpoints.issuer ?? new URL(options.endpoints.authorization).origin
}

function defaultProfile(json: Readonly<Record<string, unknown>>): OAuthProfile {
  const id = json.sub ?? json.id
  return {
    sub: typeof id === 'number' ? String(id) : (str(id) ?? ''),
    email: str(json.email),
    emailVerified: json.email_verified === true || json.verified === true,
    name: str(json.name) ?? str(json.login),
  }
}

function defaultOidcProfile(claims: Readonly<Record<string, unknown>>): OidcProfile {
  return { email: str(claims.email), emailVerified: claims.email_verified === true, name: str(claims.name) }
}

function contact(email: string | null, verified: boolean, name: string | null) {
  const normalized = email === null ? null : email.normalize('NFKC').toLowerCase()
  return { email: normalized, emailVerified: normalized !== null && verified, name }
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}
