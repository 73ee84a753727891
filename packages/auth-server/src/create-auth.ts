import { createAccessTokenVerifier, type Policies, type PolicyResult } from '@acme/auth-core'
import type { Request, RequestHandler, Response, Router } from 'express'
import { createAuthContext } from './auth-context.js'
import { resolveAuthConfig } from './auth-config.js'
import type { AuthOptions } from './auth-options.js'
import { createAuthRouter } from './auth-router.js'
import { authorizeGuard, type ResourceLoader } from './authorize-guard.js'
import { createBffMiddleware, type BffMiddleware, type BffOptions } from './bff/bff-router.js'
import { createCookiePolicy } from './cookie-policy.js'
import { createCsrf } from './csrf.js'
import { jwksRoute } from './jwks-route.js'
import { authMiddleware } from './middleware.js'
import { createSessionStrategy } from './session-strategy.js'
import { sessionPayload, type SessionPayload } from './routes/session-routes.js'
import type { RequestAuth } from './request-auth.js'
import type { ClientInfo } from './strategy.js'
import type { DirectoryUser } from './user-directory.js'
import { createTokenStrategy, type TokenStrategy } from './token-strategy.js'

/** Options of `auth.bff()`: `tokens` defaults to access tokens minted by core for the session. */
export type AuthBffOptions = Omit<BffOptions, 'tokens'> & {
  /** The `aud` of the Bearer tokens the upstream receives. Needed for self-minted tokens. */
  audience?: string
  tokens?: BffOptions['tokens']
}

/** What `createAuth()` returns. */
export interface Auth {
  /** Sets `req.auth` on every request: `{ user, session, strategy }` or `null`. */
  middleware(): RequestHandler
  /** The `/auth` routes of the HTTP contract; mount at `http.basePath` (default `/auth`). */
  router(): Router
  /**
   * What `GET /auth/session` would answer for this request: embed it in server-rendered pages so
   * the client hydrates signed in with no extra request (it may set a fresh CSRF cookie on `res`).
   */
  sessionPayload(req: Request, res: Response): Promise<SessionPayload>
  /**
   * Signs `user` in on this response: a NEW session (the one the client brought ends), its cookies
   * and a CSRF token bound to it. For sign-in flows of your own (OAuth callbacks, magic links).
   */
  signIn(req: Request, res: Response, user: DirectoryUser, options?: { authLevel?: string }): Promise<{ auth: RequestAuth; csrfToken: string }>
  /**
   * A new session for `user` without a request: the `Cookie` header value that carries it and a
   * CSRF token. For tests (`signedInAgent` in `@acme/auth-testing`) and operator tooling.
   */
  issueSession(user: DirectoryUser, options?: { authLevel?: string; client?: ClientInfo }): Promise<{ cookie: string; csrfToken: string; auth: RequestAuth }>
  /** `GET /.well-known/jwks.json`: `app.get('/.well-known/jwks.json', auth.jwks())`. Needs `tokens`. */
  jwks(): RequestHandler
  /**
   * The BFF proxy: `/api/*` → the upstream with a fresh Bearer token; mount at the app's root.
   * `close()` ends its keep-alive connections.
   */
  bff(options: AuthBffOptions): BffMiddleware
  /**
   * A guard deciding `action` with core policies for the signed-in user (401 / 404 / 403 with the
   * policy's reason, denials audited). The loaded resource lands on `res.locals.resource`.
   *
   * @example
   * ```ts
   * const policies = definePolicies({ 'note.update': (user: PolicySubject, note: Note) => note.ownerId === user.id })
   * app.put('/notes/:id', auth.authorize(policies, 'note.update', (req) => notes.get(req.params.id)), updateNote)
   * ```
   */
  authorize<Rules extends Record<string, (subject: never, resource: never) => PolicyResult>, A extends keyof Rules & string>(
    policies: Policies<Rules>,
    action: A,
    loadResource?: ResourceLoader<Rules, A>,
  ): RequestHandler
}

/**
 * Express 5 bindings of Acme Auth.
 *
 * @example
 * ```ts
 * const auth = createAuth({ sessions, users, passwords, http: { origin: 'http://localhost:3000', secret } })
 * app.use(auth.middleware())
 * app.use('/auth', auth.router())
 * app.get('/me', requireAuth(), (req, res) => res.json(req.auth!.user))
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
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
    const verifier =
      tokens.verifier ?? createAccessTokenVerifier({ keyRing: tokens.keyRing, issuer: tokens.accessTokens.issuer, audience: audience! })
    tokenStrategy = createTokenStrategy(config.sessions, tokens, verifier, cookies)
  }
  const strategy = config.strategy === 'token' ? tokenStrategy! : createSessionStrategy(config.sessions, cookies)
  const ctx = createAuthContext(config, cookies, csrf, strategy)
  const needTokens = (what: string) => {
    if (!tokens) throw new TypeError(`createAuth: ${what} needs options.tokens`)
    return tokens
  }

  return {
    middleware: () => authMiddleware(ctx),
    sessionPayload: (req, res) => sessionPayload(ctx, req, res),
    async signIn(req, res, user, signInOptions = {}) {
      const auth = await strategy.signIn(req, res, user, signInOptions.authLevel ?? 'password')
      ctx.audit(req, { type: 'LOGIN_SUCCEEDED', outcome: 'success', userId: user.id, sessionId: auth.session.id, reason: auth.session.authLevel })
      return { auth, csrfToken: ctx.csrfTokenFor(req, res, auth.session.id) }
    },
    async issueSession(user, issueOptions = {}) {
      const issued = await strategy.issue(user, issueOptions.authLevel ?? 'password', issueOptions.client ?? {})
      const csrfToken = csrf.issue(issued.auth.session.id)
      const pairs = [...issued.cookies.map((cookie) => `${cookies.names[cookie.kind]}=${cookie.value}`), `${cookies.names.csrf}=${csrfToken}`]
      return { cookie: pairs.join('; '), csrfToken, auth: issued.auth }
    },
    router: () => createAuthRouter(ctx, tokenStrategy),
    jwks: () => jwksRoute(needTokens('auth.jwks()').keyRing),
    bff(bffOptions) {
      const { audience, tokens: source, ...rest } = bffOptions
      if (source) return createBffMiddleware(ctx, { ...rest, tokens: source })
      const { accessTokens } = needTokens('auth.bff() without a tokens source')
      if (audience === undefined) throw new TypeError('auth.bff: audience is required for self-minted tokens')
      return createBffMiddleware(ctx, {
        ...rest,
        tokens: async (auth) => {
          const issued = await accessTokens.issue({
            sub: auth.user.id,
            sid: auth.session.id,
            roles: auth.user.roles,
            aud: audience,
            acr: auth.session.authLevel,
            ...(auth.session.authenticatedAt > 0 ? { authTime: Math.floor(auth.session.authenticatedAt / 1000) } : {}),
          })
          return { token: issued.token, expiresAt: issued.expiresAt }
        },
      })
    },
    authorize: (policies, action, loadResource) => authorizeGuard(ctx, policies, action, loadResource),
  }
}
