import type {
  AccessTokens,
  AccessTokenVerifier,
  AccessTokenVerifierCacheOptions,
  AuditSink,
  Clock,
  KeyRing,
  LoginLimiter,
  LoginLimiterOptions,
  Mailer,
  MailTemplates,
  OneTimeTokenStore,
  MfaGateOptions,
  PasswordHasher,
  PasswordPolicy,
  RateLimitStore,
  RefreshFamilies,
  SecondFactorStore,
  SessionManager,
} from '@acme/auth-core'
import type { Exchange } from '../http/exchange.js'
import type { UserDirectory } from '../core/user-directory.js'

/**
 * Signing keys and tokens: needed by the `token` strategy, native clients, the JWKS route and the
 * BFF's self-issued Bearer tokens.
 */
export interface AuthTokenOptions {
  keyRing: KeyRing
  /** `createAccessTokens({ keyRing, issuer, audience })`. */
  accessTokens: AccessTokens
  /**
   * `createRefreshFamilies({ store, accessTokens, sessions })`, with the same session manager as
   * `options.sessions`: a family then lives only while its session does, and each refresh slides
   * the session. Families created without `sessions` are refused.
   */
  refreshFamilies: RefreshFamilies
  /**
   * Verifies the `__Host-access` cookie (token strategy). Yours is used as given: pass it a
   * `cache` yourself (`createAccessTokenVerifier({ …, cache: {} })`) to skip repeated signature checks.
   * @default a verifier over `keyRing` for the issuer and audience of `accessTokens`, with `verifierCache`
   */
  verifier?: AccessTokenVerifier
  /**
   * The verified-token cache of the verifiers `createAuth` builds (the access cookie's unless you
   * pass `verifier`, and the native audience's for `Authorization: Bearer` on `/auth/*`): a token
   * seen again skips its signature check, never past its `exp`, and a key removed from the ring
   * stops answering from the cache within the ring's refresh bound (at once on the instance that
   * removed it). `false` verifies every signature.
   * @default { maxEntries: 10000 } (about 5 MB at most)
   */
  verifierCache?: false | AccessTokenVerifierCacheOptions
  /** Native clients: `POST /login` with `"client": "native"`, `POST /token` and `POST /revoke`. @default false (403) */
  nativeClients?: boolean
  /**
   * The `aud` of native clients' access tokens: the API(s) they call, e.g. `'https://api.example.com'`.
   * `/auth/*` routes accept these tokens as `Authorization: Bearer` too.
   * @default the audience of `accessTokens` (the app's own)
   */
  nativeAudience?: string | readonly string[]
}

/** HTTP-facing settings. */
export interface AuthHttpOptions {
  /** The app's own origin(s), e.g. `'https://app.example.com'`: Origin/Referer must match one. */
  origin: string | readonly string[]
  /** At least 32 characters of randomness; signs CSRF tokens. Same on every instance. */
  secret: string
  /** Where `auth.router()` is mounted. @default '/auth' */
  basePath?: string
  /**
   * Drops `Secure` and the `__Host-`/`__Secure-` prefixes, for plain-HTTP development on a host
   * other than localhost. Logs a warning. Never in production. @default false
   */
  insecureDevelopmentCookies?: boolean
  /**
   * Unsafe requests that skip CSRF checks (webhooks): gets the request as the layer sees it
   * (`method`, `path` under the mount, `header(name)`). @default none
   */
  csrfExempt?: (request: Exchange) => boolean
  /**
   * Brute-force and request limits, ON by default with memory counters: see {@link AuthLimitsOptions}.
   * `false` turns every limit off (tests, or limits enforced in front of the app).
   * @default {}
   */
  limits?: false | AuthLimitsOptions
  /** @deprecated Use `limits: { login: limiter }`. The sign-in limiter; cannot be combined with `limits.login`. */
  limiter?: LoginLimiter
}

/** A per-IP request limit on a route: `maxRequests` per `windowSeconds`, then 429 for `blockSeconds`. */
export interface RouteLimitOptions {
  maxRequests?: number
  /** @default 60 */
  windowSeconds?: number
  /** @default windowSeconds */
  blockSeconds?: number
}

/**
 * The limits of `auth.router()`. Each is on unless set to `false`; refusals are 429 problem+json
 * with `Retry-After`. They key on `req.ip`: behind a proxy, set Express's `trust proxy` so that
 * `req.ip` is the client's, or every client shares the proxy's budget.
 */
export interface AuthLimitsOptions {
  /**
   * Where the counters live. `'memory'` counts per process; with several instances, pass a shared
   * store (`createRedisRateLimitStore()` from `@acme/auth-core/redis`).
   * @default 'memory'
   */
  store?: 'memory' | RateLimitStore
  /**
   * `POST /login`: core's `createLoginLimiter` on `store`, with these options (per IP + account 10
   * failures / 15 min, per account 200 / day sparing IPs that signed in to it, per IP 100 / day),
   * or a `LoginLimiter` of your own.
   * @default {} (core's defaults)
   */
  login?: false | LoginLimiter | Omit<LoginLimiterOptions, 'store' | 'clock'>
  /**
   * `POST /refresh`, `POST /token` and `POST /revoke`, each counted on its own, per IP, every
   * request (these calls cost a store write and a signature whether they succeed or not).
   * @default { maxRequests: 60, windowSeconds: 60, blockSeconds: 60 }
   */
  tokenRoutes?: false | RouteLimitOptions
  /**
   * The account routes that send mail or take a token (`/signup`, `/email/*`, `/password/*`,
   * `DELETE /account`): each counted on its own, per IP and, where the body names an address, per
   * address (stored as a keyed hash, never the address). A wrong current password also counts
   * against the sign-in limits of `login`.
   * @default { perIp: { maxRequests: 30, windowSeconds: 600 }, perAddress: { maxRequests: 5, windowSeconds: 3600 } }
   */
  accounts?: false | { perIp?: false | RouteLimitOptions; perAddress?: false | RouteLimitOptions }
  /** Time for the counters. @default systemClock */
  clock?: Clock
}

/** Where the links in account mail point: your pages, which POST the token to the API. */
export interface AccountLinks {
  /** e.g. `(token) => \`https://app.example.com/verify-email?token=${token}\`` */
  verify: (token: string) => string
  /** e.g. `(token) => \`https://app.example.com/reset-password?token=${token}\`` */
  reset: (token: string) => string
  /**
   * The link mailed to the NEW address of an email change; its page POSTs the token to
   * `/email/verify`, like a verification. @default `verify`
   */
  changeEmail?: (token: string) => string
}

/**
 * Sign-up, email verification, password reset and change, linked accounts and account deletion
 * (`/auth/signup`, `/auth/email/*`, `/auth/password*`, `/auth/accounts*`, `/auth/account`). Each
 * route exists when the user directory has the methods it needs, and (for the routes that send
 * mail) a `mailer`; otherwise it answers 404.
 */
export interface AuthAccountsOptions {
  /** Sends the account mail: `createSmtpMailer()`, or `createOutboxMailer()` in development. @default none: no route that sends mail */
  mailer?: Mailer
  /** Required with `mailer`. */
  links?: AccountLinks
  /**
   * `'required'`: sign-up answers 202 for every address and mails a link; a password sign-in of a
   * user whose `emailVerified` is `false` is refused (403). `'off'`: sign-up answers 201 and signs in.
   * @default 'required'
   */
  verification?: 'required' | 'off'
  /**
   * One-time tokens (hashed, single use, bound to the user, their address and the purpose): where
   * they live and how long they work.
   * @default { store: a memory store, verificationTtlSeconds: 86400, resetTtlSeconds: 1800 }
   */
  tokens?: {
    store?: OneTimeTokenStore
    verificationTtlSeconds?: number
    resetTtlSeconds?: number
    clock?: Clock
    /**
     * `'link'`: the mails carry a link with a 256-bit token (`links` builds it). `'code'`: they carry a
     * 6-digit code INSTEAD (no link), which `POST /email/verify` and `POST /password/reset` take as
     * `{ email, code }`. A code is stored as an HMAC keyed with `http.secret` over the purpose, the
     * address and the code, only the newest code of an address works, and wrong codes are limited
     * per address and per IP; after `codeAttempts.perAddress` attempts the address's code is burned.
     * @default 'link'
     */
    format?: 'link' | 'code'
    /**
     * Code attempts (right or wrong), counted per address and per IP in `http.limits.store`, whatever
     * `http.limits` says (a code's small space is safe only with them). Past them: 429 with
     * `Retry-After` for `windowSeconds`.
     * @default { perAddress: 5, perIp: 30, windowSeconds: 900 }
     */
    codeAttempts?: { perAddress?: number; perIp?: number; windowSeconds?: number }
  }
  /** Rules for new passwords (sign-up, reset, change). @default createPasswordPolicy() */
  passwordPolicy?: PasswordPolicy
  /** The messages, as replaceable functions; `appName` is passed to each. @default defaultMailTemplates */
  mail?: { templates?: Partial<MailTemplates>; appName?: string }
  /** How recent a sign-in must be to delete the account without its password. @default 300 */
  freshSignInSeconds?: number
}

/**
 * Second factors (TOTP and recovery codes) and the one gate every sign-in goes through: with a
 * factor enrolled, `POST /login`, `signIn()` and OAuth callbacks create no session, only the
 * single-use `__Host-mfa` cookie that `POST /mfa/verify` turns into one.
 */
export interface AuthSecondFactorOptions {
  /** Factors and pending sign-ins: `MemorySecondFactorStore`, `RedisSecondFactorStore` (`/redis`), `PostgresSecondFactorStore` (`/postgres`). */
  store: SecondFactorStore
  /**
   * TOTP; `false` offers none. `secret` seals TOTP secrets at rest (first seals, all open).
   * @default { issuer: the host of the first `http.origin`, secret: http.secret }
   */
  totp?: false | { issuer?: string; secret?: string | readonly string[] }
  /** Risk-based prompting: answer `false` to skip the challenge for one sign-in; a hook that throws means "challenge". */
  shouldChallenge?: MfaGateOptions['shouldChallenge']
  /**
   * Wrong codes per user, counted in `http.limits.store`; `perIp`: requests per IP to
   * `POST /mfa/verify`, `POST /passkeys/login/options` and `POST /passkeys/login`, each on its own
   * (429 with `Retry-After`; the IP is `req.ip`, so set `trust proxy` behind a proxy).
   * @default { maxAttempts: 5, windowSeconds: 900, perIp: { maxRequests: 30, windowSeconds: 300 } }
   */
  limits?: { maxAttempts?: number; windowSeconds?: number; perIp?: false | RouteLimitOptions }
  /**
   * "Remember this device": `POST /mfa/verify` (and a passkey completing a pending sign-in) with
   * `rememberDevice: true` sets the `__Host-device` cookie, and the next sign-in of the SAME user
   * from that browser skips the challenge for `days` (the session still claims the first factor
   * only, so step-up asks). Listed and forgotten at `GET`/`DELETE /mfa/devices`; all forgotten on
   * logout-all, password reset or change, removal of a factor and account deletion.
   * @default off
   */
  rememberDevice?: { days?: number }
  /** How recent the sign-in must be to enroll or remove a factor (else 401 `…/reauthenticate`). @default 600 */
  freshSessionSeconds?: number
  /** The app's page that asks for the second factor: OAuth callbacks redirect there with `?returnTo=`. @default '/mfa' */
  challengePage?: string
  /** Time for codes, pending sign-ins and freshness (the sessions' clock). @default systemClock */
  clock?: Clock
}

/** Options of `createAuth()`. */
export interface AuthOptions {
  /** Core's session manager: `createSessionManager({ store })`. */
  sessions: SessionManager
  /** The app's users. */
  users: UserDirectory
  /** Password hashing for `POST /login`: `createPasswordHasher()` from `@acme/auth-core/argon2`. */
  passwords: PasswordHasher
  http: AuthHttpOptions
  /** Receives LOGIN_SUCCEEDED, LOGIN_FAILED, LOGOUT, … @default drops events */
  audit?: AuditSink
  /**
   * `'session'`: opaque session cookie, store read per request, instant revocation.
   * `'token'`: short access JWT cookie verified locally plus a rotating refresh cookie; revocation
   * lags by at most the access-token lifetime. Needs `tokens`. @default 'session'
   */
  strategy?: 'session' | 'token'
  tokens?: AuthTokenOptions
  /** The account routes (sign-up, verification, reset, change, linked accounts, deletion). @default none */
  accounts?: AuthAccountsOptions
  /** TOTP, recovery codes and the MFA gate: see {@link AuthSecondFactorOptions}. @default none (no second factors) */
  secondFactors?: AuthSecondFactorOptions
}
