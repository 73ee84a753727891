import type {
  AccessTokens,
  AccessTokenVerifier,
  AuditSink,
  KeyRing,
  LoginLimiter,
  PasswordHasher,
  RefreshFamilies,
  SessionManager,
} from '@acme/auth-core'
import type { Request } from 'express'
import type { UserDirectory } from './user-directory.js'

/**
 * Signing keys and tokens: needed by the `token` strategy, native clients, the JWKS route and the
 * BFF's self-issued Bearer tokens.
 */
export interface AuthTokenOptions {
  keyRing: KeyRing
  /** `createAccessTokens({ keyRing, issuer, audience })`. */
  accessTokens: AccessTokens
  /** `createRefreshFamilies({ store, accessTokens })`. */
  refreshFamilies: RefreshFamilies
  /** Verifies the `__Host-access` cookie (token strategy). @default a verifier over `keyRing` for the issuer and audience of `accessTokens` */
  verifier?: AccessTokenVerifier
  /** Native clients: `POST /login` with `"client": "native"` and `POST /token`. @default false (403) */
  nativeClients?: boolean
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
  /** Unsafe requests that skip CSRF checks (webhooks). @default none */
  csrfExempt?: (req: Request) => boolean
  /** Brute-force limits for `POST /login`: core's `createLoginLimiter()`. @default none (strongly recommended) */
  limiter?: LoginLimiter
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
}
