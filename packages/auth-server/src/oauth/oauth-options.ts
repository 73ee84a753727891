import type { Clock, OneTimeTokenStore } from '@acme/auth-core'
import type { DirectoryUser } from '../user-directory.js'
import type { ProviderTokenStore } from './provider-token-store.js'

/** Who signed in at a provider, as the app's `users.findOrCreate` hook receives it. */
export interface OAuthIdentity {
  /** The provider's name in our routes (`github`, `corp`). */
  provider: string
  /** The provider's issuer identifier; `(issuer, sub)` is the stable key of an external account. */
  issuer: string
  sub: string
  /** Lower-cased and NFKC-normalised, or `null`. Trust it for linking only when `emailVerified`. */
  email: string | null
  /** `true` only when the provider asserted it (`email_verified: true`). */
  emailVerified: boolean
  name: string | null
  /** Every claim received: the ID token's merged with userinfo (OIDC), or the profile JSON (OAuth 2.0). */
  claims: Readonly<Record<string, unknown>>
}

/** What a plain OAuth 2.0 provider's profile maps to (a GitHub-style `GET /user` answer). */
export interface OAuthProfile {
  sub: string
  email?: string | null
  emailVerified?: boolean
  name?: string | null
}

/**
 * Maps external identities to the app's users. Find by `(issuer, sub)` first; create, or link to
 * an existing account only when your rules allow it. Never link because an unverified email
 * matches: that hands the account to whoever registered the address at the provider.
 *
 * @example
 * ```ts
 * const users: OAuthUsers = {
 *   async findOrCreate({ issuer, sub, email, emailVerified, name }) {
 *     const linked = await db.externalAccounts.findUser({ issuer, sub })
 *     if (linked) return linked
 *     if (email === null || !emailVerified) return null // or create a fresh account, never link
 *     const existing = await db.users.findOne({ email })
 *     if (existing && !existing.allowsProviderLinking) return null
 *     const user = existing ?? (await db.users.create({ email, name: name ?? email, roles: ['member'] }))
 *     await db.externalAccounts.link({ issuer, sub, userId: user.id })
 *     return user
 *   },
 * }
 * ```
 */
export interface OAuthUsers {
  /** The user to sign in, or `null` to refuse (the browser lands on the error page). */
  findOrCreate(identity: OAuthIdentity): Promise<DirectoryUser | null>
}

/** What {@link OAuthFetch} receives: a subset of `RequestInit`, always with `redirect: 'manual'`. */
export interface OAuthFetchInit {
  method: string
  headers: Record<string, string>
  body: ArrayBuffer | ReadableStream | string | Uint8Array | URLSearchParams | null | undefined
  redirect: 'manual'
  signal?: AbortSignal
  duplex?: 'half'
}

/**
 * `fetch` as openid-client calls it; give one to route provider traffic through a proxy (or to
 * alter it in tests). `(url, init) => fetch(url, init)` is the default.
 */
export type OAuthFetch = (url: string, init: OAuthFetchInit) => Promise<Response>

interface ProviderCommonOptions {
  clientId: string
  /** Omit for a public client (PKCE only). */
  clientSecret?: string
  /** How the secret is sent to the token endpoint. @default 'client_secret_basic' */
  clientAuthentication?: 'client_secret_basic' | 'client_secret_post'
  /** @default ['openid', 'email', 'profile'] for OIDC providers, none for OAuth 2.0 ones */
  scopes?: readonly string[]
  /** Plain `http://` to a loopback provider (local test IdPs). Refused for any other host. @default false */
  allowInsecureRequests?: boolean
  /** @default globalThis.fetch */
  fetch?: OAuthFetch
}

/** An OpenID Connect provider, configured by discovery from its issuer. */
export interface OidcProviderOptions extends ProviderCommonOptions {
  /** e.g. `https://accounts.example.com`; `/.well-known/openid-configuration` is read from it. */
  issuer: string
}

/** A plain OAuth 2.0 provider (no ID token): explicit endpoints and a userinfo endpoint. */
export interface OAuth2ProviderOptions extends ProviderCommonOptions {
  endpoints: {
    authorization: string
    token: string
    /** Read with the access token after the exchange; its JSON goes through `profile`. */
    userinfo: string
    /** The provider's identifier for `OAuthIdentity.issuer`. @default the authorization endpoint's origin */
    issuer?: string
  }
  /** @default `sub` or `id` as `sub`, `email`, `email_verified` or `verified`, `name` or `login` */
  profile?: (json: Readonly<Record<string, unknown>>) => OAuthProfile
}

export type OAuthProviderOptions = OidcProviderOptions | OAuth2ProviderOptions

/** Options of {@link createOAuth}. */
export interface OAuthOptions {
  /** By route name: `/auth/oauth/<name>`. Names are 1-32 of a-z, 0-9, `_`, `-`. */
  providers: Readonly<Record<string, OAuthProviderOptions>>
  users: OAuthUsers
  /**
   * ≥ 32 characters; seals the transaction cookie and the provider tokens (AES-256-GCM). A list
   * rotates: the first seals, all open.
   */
  secret: string | readonly string[]
  http: {
    /** The app's public origin: redirect URIs are `<origin><basePath>/<name>/callback`. */
    origin: string
    /** Where `oauth.router()` is mounted. @default '/auth/oauth' */
    basePath?: string
    /** Where failed sign-ins land, with `?error=<code>`. A same-origin path. @default '/' */
    errorPage?: string
    /** As createAuth's: the transaction cookie drops `Secure` and `__Host-`. @default false */
    insecureDevelopmentCookies?: boolean
  }
  /** @default memory stores (one process); use shared ones when several instances serve the app */
  stores?: { transactions?: OneTimeTokenStore; tokens?: ProviderTokenStore }
  /** @default systemClock */
  clock?: Clock
}
