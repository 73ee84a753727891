import type { Clock, OneTimeTokenStore, RateLimitStore } from '@acme/auth-core'
import type { RouteLimitOptions } from '../config/auth-options.js'
import type { DirectoryUser } from '../core/user-directory.js'
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
  /** Say `true` only when the provider vouches for the address: it is what allows linking by email. */
  emailVerified?: boolean
  name?: string | null
}

/** What an OIDC provider's claims map to: `issuer` and `sub` always come from the validated ID token. */
export type OidcProfile = Omit<OAuthProfile, 'sub'>

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
  /**
   * Read the userinfo endpoint (when discovery names one) and merge its claims under the ID
   * token's. `false` when the ID token carries what you need, or the access token is for another
   * resource than the userinfo endpoint's (Entra ID with an API scope).
   * @default true
   */
  userinfo?: boolean
  /**
   * Maps the claims (the ID token's over userinfo's) to the contact fields, for a provider that
   * says "verified" differently than `email_verified: true`.
   * @default `email`, `email_verified === true`, `name`
   */
  profile?: (claims: Readonly<Record<string, unknown>>) => OidcProfile
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
    /**
     * More protected resources read with the access token after `userinfo` (GitHub's
     * `/user/emails`), by name; their JSON reaches `profile` as its second argument. A resource that
     * answers anything but 2xx JSON fails the sign-in (`ERR_OAUTH_PROVIDER_ERROR`).
     * @default {}
     */
    resources?: Readonly<Record<string, string>>
  }
  /**
   * Maps the userinfo JSON (and the `resources`' JSON, by name) to who signed in.
   * @default `sub` or `id` as `sub`, `email`, `email_verified` or `verified`, `name` or `login`
   */
  profile?: (json: Readonly<Record<string, unknown>>, resources: Readonly<Record<string, unknown>>) => OAuthProfile
}

export type OAuthProviderOptions = OidcProviderOptions | OAuth2ProviderOptions

/** Limits of the sign-in start route. */
export interface OAuthLimitsOptions {
  /**
   * Starts per IP (429 problem+json with `Retry-After` beyond). Keys on `req.ip`: set Express's
   * `trust proxy` behind a proxy. `false` turns it off.
   * @default { maxRequests: 60, windowSeconds: 60, blockSeconds: 60 }
   */
  start?: false | RouteLimitOptions
  /** Where the counters live; a shared store (Redis) with several instances. @default 'memory' */
  store?: 'memory' | RateLimitStore
  /**
   * The most pending sign-ins the default memory transaction store holds (about 600 bytes each).
   * When full, each new start evicts the oldest pending one, whose callback then fails with
   * `ERR_OAUTH_STATE_REPLAYED`. Not used with `stores.transactions` (a Redis store expires its own).
   * @default 10000
   */
  maxPendingTransactions?: number
}

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
  /**
   * Limits of `GET /:provider`, where anyone can start a sign-in and each start keeps a pending
   * transaction for 10 minutes. The per-IP limit is on by default; `false` turns it off (the cap on
   * pending transactions stays: memory must stay bounded).
   * @default {}
   */
  limits?: false | OAuthLimitsOptions
  /** @default systemClock */
  clock?: Clock
}
