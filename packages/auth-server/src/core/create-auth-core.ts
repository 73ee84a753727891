import { createAccessTokenVerifier, type AuditEvent, type SessionEndListener, type SessionPayload } from '@acme/auth-core'
import { authLevelError, type RequiredAuthLevel } from './auth-level.js'
import { firstFactorOf, signInThroughGate, type SignInOptions, type SignInOutcome } from './sign-in-gate.js'
import { createAuthContext, type AuthContext } from './auth-context.js'
import { resolveAuthConfig } from '../config/auth-config.js'
import { createAuthHandler, ensureAuthenticated, type AuthHandler } from './auth-handler.js'
import type { AuthOptions } from '../config/auth-options.js'
import { createBff, type Bff, type BffOptions } from '../bff/bff.js'
import { authCookieLine, createCookiePolicy } from '../cookies/cookie-policy.js'
import { createCsrf } from '../csrf/csrf.js'
import { checkCsrf } from '../csrf/csrf-guard.js'
import type { Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { problemAnswer } from '../http/problem-answer.js'
import { jwksAnswer } from '../routes/jwks-route.js'
import type { RequestAuth } from './request-auth.js'
import { authenticateNow } from './authenticate-now.js'
import { endSession, sessionPayload } from '../routes/session-routes.js'
import { subscribeSessionEnd } from './session-end.js'
import { clientOf, createSessionStrategy } from '../strategies/session-strategy.js'
import type { ClientInfo } from '../strategies/strategy.js'
import { createTokenStrategy, type TokenStrategy } from '../strategies/token-strategy.js'
import type { DirectoryUser } from './user-directory.js'
import { forgetTrustedDevices } from './trusted-device-cookie.js'

/** Options of the BFF: `tokens` defaults to access tokens minted by core for the session. */
export type AuthBffOptions = Omit<BffOptions, 'tokens'> & {
  /** The `aud` of the Bearer tokens the upstream receives. Needed for self-minted tokens. */
  audience?: string
  tokens?: BffOptions['tokens']
}

const coreBrand: unique symbol = Symbol.for('@acme/auth-server/core')

/**
 * The framework-neutral layer: everything the server knows about HTTP, on an {@link Exchange}.
 * The Express, Fetch and Next.js adapters are thin shells over it; write one for another
 * framework by implementing `Exchange` over its request.
 */
export interface AuthCore {
  readonly [coreBrand]: true
  /** Where the `/auth` routes live (`http.basePath`). */
  readonly basePath: string
  /** Whether `tokens` were configured (JWKS, the token strategy, a self-minting BFF). */
  readonly hasTokens: boolean
  /** Answers a request under `basePath` (`ex.path` relative to it): the contract's routes and mounted ones (OAuth). */
  handle(ex: Exchange): Promise<Answer>
  /** The request's identity from its cookies (once per exchange; clears cookies no longer good). */
  authenticate(ex: Exchange): Promise<RequestAuth | null>
  /** What `GET /session` answers for this request (server rendering embeds it). */
  sessionPayload(ex: Exchange): Promise<SessionPayload>
  /**
   * Signs `user` in after a first factor the caller proved (`firstFactor`; OAuth: `{ method:
   * 'oauth', provider }`), through core's MFA gate: a NEW session (the one the client brought
   * ends), its cookies and a CSRF token, or, when the user has a second factor, NO session:
   * `{ mfaRequired: true, methods, challengePage }` and the `__Host-mfa` cookie (send the browser
   * to `challengePage`). An older caller's `authLevel` names the first factor (`'oauth:<name>'`,
   * `'email'`, else a password) and labels a session created without a second factor.
   */
  signIn(ex: Exchange, user: DirectoryUser, options?: SignInOptions): Promise<SignInOutcome>
  /**
   * The step-up check for guards of any adapter: `null` when the request's session has `level`,
   * else the problem to send (401 `…/mfa-required`: prompt for a factor, `POST /auth/mfa/step-up`).
   */
  checkAuthLevel(ex: Exchange, level: RequiredAuthLevel): Promise<Answer | null>
  /** Ends the request's session everywhere and clears its cookies, as `POST /logout` does (audited). */
  signOut(ex: Exchange): Promise<void>
  /** A new session for `user` without a request: its `Cookie` header value, `Set-Cookie` lines and CSRF token. */
  issueSession(
    user: DirectoryUser,
    options?: { authLevel?: string; client?: ClientInfo },
  ): Promise<{ cookie: string; setCookies: string[]; csrfToken: string; auth: RequestAuth }>
  /** `GET /.well-known/jwks.json`. Needs `tokens`. */
  jwks(): Promise<Answer>
  /** The BFF proxy. */
  bff(options: AuthBffOptions): Bff
  /** The CSRF guard for the app's own unsafe routes: the 403 to send, or `null` when the request passes. */
  csrf(ex: Exchange): Promise<Answer | null>
  /** See `Auth.updateUser`; with `ex`, that request's own session gets a new token at once. */
  updateUser(userId: string, ex?: Exchange): Promise<DirectoryUser | null>
  /** Runs `listener` after any session of this process ends. Returns an unsubscribe function. */
  onSessionEnd(listener: SessionEndListener): () => void
  /** Emits an audit event stamped with the time and the request's id and client. Never throws. */
  audit(ex: Exchange | undefined, event: Omit<AuditEvent, 'at'>): void
  /**
   * Serves `handler` for paths under `basePath + prefix` (OAuth's routes at `/oauth`), so every
   * adapter's `/auth` handler answers them too. Internal to the package's extensions.
   */
  mount(prefix: string, handler: AuthHandler): void
}

// On the core itself under a registry symbol, not in a module-level map: a bundler that loads this
// module twice (Next.js builds route handlers, pages and the proxy separately) still finds it.
const contextKey = Symbol.for('@acme/auth-server/context')

/**
 * `ex` as a handler mounted at `prefix` sees it: `path` relative to the prefix (`/demo` for
 * `/oauth/demo`), everything else (headers, body, cookie writes) the exchange's own.
 */
function underPrefix(ex: Exchange, prefix: string): Exchange {
  const path = ex.path.slice(prefix.length) || '/'
  return new Proxy(ex, {
    get(target, property) {
      if (property === 'path') return path
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

/** The routes' shared context behind a core. Internal. */
export function contextOf(core: AuthCore): AuthContext {
  const ctx = (core as unknown as Record<symbol, AuthContext | undefined>)[contextKey]
  if (ctx === undefined) throw new TypeError('not an AuthCore made by createAuthCore()')
  return ctx
}

/** Verified access tokens remembered per verifier by default: about 5 MB at most. */
const DEFAULT_VERIFIER_CACHE_ENTRIES = 10_000

/** Whether a value is an {@link AuthCore} (adapters accept it, or an object carrying one as `core`). */
export const isAuthCore = (value: unknown): value is AuthCore =>
  typeof value === 'object' && value !== null && (value as { [coreBrand]?: unknown })[coreBrand] === true

/** The core of an adapter's argument: an `AuthCore`, something that has one (`auth.core`), or options. */
export function coreOf(input: AuthCore | { core: AuthCore } | AuthOptions): AuthCore {
  if (isAuthCore(input)) return input
  const carried = (input as { core?: unknown }).core
  if (isAuthCore(carried)) return carried
  return createAuthCore(input as AuthOptions)
}

/**
 * The framework-neutral Acme Auth server. Adapters: `createAuth` (Express), `createFetchAuth`
 * (`@acme/auth-server/fetch`), `createNextAuth` (`@acme/auth-server/next`); each also takes an
 * `AuthCore`, so one app can serve several.
 */
export function createAuthCore(options: AuthOptions): AuthCore {
  const config = resolveAuthConfig(options)
  if (config.insecureDevelopmentCookies) {
    console.warn(
      '[acme-auth] insecureDevelopmentCookies is on: cookies are sent without Secure and without the __Host- prefix. Never use this in production.',
    )
  }
  const cookies = createCookiePolicy(config.basePath, config.insecureDevelopmentCookies)
  const csrf = createCsrf(config.secret, config.origins)
  const tokens = config.tokens
  let tokenStrategy: TokenStrategy | undefined
  if (tokens) {
    const audience = tokens.accessTokens.audience
    if (!tokens.verifier && audience === undefined) {
      throw new TypeError('createAuth: options.tokens.verifier is required when accessTokens has no default audience')
    }
    // A token verified once is not verified again on every request (see core's verifier cache).
    const cache = tokens.verifierCache ?? { maxEntries: DEFAULT_VERIFIER_CACHE_ENTRIES }
    const verifier =
      tokens.verifier ?? createAccessTokenVerifier({ keyRing: tokens.keyRing, issuer: tokens.accessTokens.issuer, audience: audience!, cache })
    // Native clients' tokens name their API, not the app: /auth/* accepts them as Bearer too.
    const native =
      tokens.nativeAudience === undefined
        ? undefined
        : createAccessTokenVerifier({ keyRing: tokens.keyRing, issuer: tokens.accessTokens.issuer, audience: tokens.nativeAudience, cache })
    tokenStrategy = createTokenStrategy(config.sessions, tokens, { cookie: verifier, native }, cookies)
  }
  const strategy = config.strategy === 'token' ? tokenStrategy! : createSessionStrategy(config.sessions, cookies)
  const ctx = createAuthContext(config, cookies, csrf, strategy)
  const contractRoutes = createAuthHandler(ctx, tokenStrategy)
  const mounted: { prefix: string; handler: AuthHandler }[] = []
  const needTokens = (what: string) => {
    if (!tokens) throw new TypeError(`createAuth: ${what} needs options.tokens`)
    return tokens
  }

  const core: AuthCore = {
    [coreBrand]: true,
    basePath: config.basePath,
    hasTokens: tokens !== undefined,
    handle(ex) {
      for (const { prefix, handler } of mounted) {
        if (ex.path === prefix || ex.path.startsWith(`${prefix}/`)) return handler(underPrefix(ex, prefix))
      }
      return contractRoutes(ex)
    },
    // Adapters without a synchronous path (Fetch, Next.js) await this; Express uses authenticateNow.
    async authenticate(ex) {
      return authenticateNow(strategy, ex)
    },
    async sessionPayload(ex) {
      await ensureAuthenticated(ctx, ex)
      return sessionPayload(ctx, ex)
    },
    async signIn(ex, user, signInOptions = {}) {
      const { firstFactor, authLevel } = signInOptions
      const outcome = await signInThroughGate(ctx, ex, user, firstFactor ?? firstFactorOf(authLevel), firstFactor ? undefined : authLevel)
      if (!outcome.mfaRequired) {
        const { session } = outcome.auth
        ctx.audit(ex, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: session.id, reason: session.authLevel })
      }
      return outcome
    },
    async checkAuthLevel(ex, level) {
      try {
        await ensureAuthenticated(ctx, ex)
        const refused = authLevelError(ex.auth!, level)
        return refused ? problemAnswer(refused) : null
      } catch (error) {
        return problemAnswer(error)
      }
    },
    async signOut(ex) {
      await ensureAuthenticated(ctx, ex)
      const auth = ex.auth
      await endSession(ctx, ex)
      if (auth) ctx.audit(ex, { type: 'LOGOUT', outcome: 'success', userId: auth.user.id, sessionId: auth.session.id })
    },
    async issueSession(user, issueOptions = {}) {
      const issued = await strategy.issue(user, issueOptions.authLevel ?? 'password', issueOptions.client ?? {})
      const csrfToken = csrf.issue(issued.auth.session.id)
      const pairs = [...issued.cookies.map((cookie) => `${cookies.names[cookie.kind]}=${cookie.value}`), `${cookies.names.csrf}=${csrfToken}`]
      const setCookies = issued.cookies.map((cookie) => authCookieLine(cookies, cookie.kind, cookie.value, cookie.maxAgeMs))
      return { cookie: pairs.join('; '), setCookies, csrfToken, auth: issued.auth }
    },
    jwks: () => jwksAnswer(needTokens('the JWKS route').keyRing),
    bff(bffOptions) {
      const { audience, tokens: source, ...rest } = bffOptions
      if (source) return createBff(ctx, { ...rest, tokens: source })
      const { accessTokens } = needTokens('the BFF without a tokens source')
      if (audience === undefined) throw new TypeError('auth.bff: audience is required for self-minted tokens')
      return createBff(ctx, {
        ...rest,
        tokens: async (auth) => {
          const issued = await accessTokens.issue({
            sub: auth.user.id,
            sid: auth.session.id,
            roles: auth.user.roles,
            aud: audience,
            acr: auth.session.authLevel,
            ...(auth.session.amr.length > 0 ? { amr: auth.session.amr } : {}),
            ...(auth.session.authenticatedAt > 0 ? { authTime: Math.floor(auth.session.authenticatedAt / 1000) } : {}),
          })
          return { token: issued.token, expiresAt: issued.expiresAt }
        },
      })
    },
    async csrf(ex) {
      try {
        await ensureAuthenticated(ctx, ex)
        const refused = await checkCsrf(ctx, ex)
        return refused ? problemAnswer(refused) : null
      } catch (error) {
        return problemAnswer(error)
      }
    },
    async updateUser(userId, ex) {
      const context = ex ? clientOf(ex) : {}
      const current = ex?.auth?.user.id === userId ? ex.auth : undefined
      const user = await config.users.findById(userId)
      if (!user) {
        // The account is gone: nothing of it may stay signed in.
        await config.sessions.revokeAllForUser(userId, { reason: 'account_gone' }, context)
        await tokens?.refreshFamilies.revokeAllForUser(userId, context)
        await forgetTrustedDevices(ctx, ex, userId, 'account_gone')
        if (current && current.strategy !== 'bearer') strategy.clearCookies(ex!)
        return null
      }
      await config.sessions.updateRoles(userId, user.roles, context)
      await tokens?.refreshFamilies.updateRoles(userId, user.roles, context)
      // A privilege change gets a new session token (no fixation); a Bearer client has no cookie to renew.
      if (current && current.strategy !== 'bearer') {
        const renewed = await strategy.renew(ex!, user)
        if (renewed) ex!.auth = renewed
      }
      return user
    },
    onSessionEnd: (listener) => subscribeSessionEnd(config.sessions, listener),
    audit(ex, event) {
      if (ex) ctx.audit(ex, event)
      else {
        try {
          config.audit.emit({ ...event, at: new Date().toISOString() })
        } catch {
          // Auditing must never break a request.
        }
      }
    },
    mount(prefix, handler) {
      if (!/^\/[a-z0-9-]+$/.test(prefix)) throw new TypeError(`auth.mount: prefix must look like '/oauth'`)
      mounted.push({ prefix, handler })
    },
  }
  // Not enumerable: spreading or logging a core shows no internals.
  Object.defineProperty(core, contextKey, { value: ctx })
  Object.freeze(core)
  return core
}
