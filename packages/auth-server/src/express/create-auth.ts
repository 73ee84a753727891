import type { AuditEvent, Policies, PolicyResult, SessionEndListener, SessionPayload } from '@acme/auth-core'
import type { Request, RequestHandler, Response } from 'express'
import type { AuthOptions } from '../config/auth-options.js'
import { coreOf, type AuthBffOptions, type AuthCore } from '../core/create-auth-core.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { SignInOptions, SignInOutcome } from '../core/sign-in-gate.js'
import type { ClientInfo } from '../strategies/strategy.js'
import type { DirectoryUser } from '../core/user-directory.js'
import { authorizeGuard, type ResourceLoader } from './authorize-guard.js'
import { bffMiddleware, type BffMiddleware } from './bff-middleware.js'
import { ExpressExchange } from './express-exchange.js'
import { expressHandler } from './express-handler.js'
import { authMiddleware } from './middleware.js'
import { sendAnswer } from './send-answer.js'

export type { AuthBffOptions } from '../core/create-auth-core.js'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /**
       * Set by `auth.middleware()`: the signed-in identity, or `null` when the request is anonymous.
       * `undefined` means the middleware never ran (guards then fail loudly).
       */
      auth?: RequestAuth | null
    }
  }
}

/** What `createAuth()` returns. */
export interface Auth {
  /** Sets `req.auth` on every request: `{ user, session, strategy }` or `null`. */
  middleware(): RequestHandler
  /** The `/auth` routes of the HTTP contract; mount at `http.basePath` (default `/auth`). */
  router(): RequestHandler
  /**
   * What `GET /auth/session` would answer for this request: embed it in server-rendered pages so
   * the client hydrates signed in with no extra request (it may set a fresh CSRF cookie on `res`).
   */
  sessionPayload(req: Request, res: Response): Promise<SessionPayload>
  /**
   * Signs `user` in on this response after a first factor you proved, through the MFA gate: a NEW
   * session (the one the client brought ends), its cookies and a CSRF token, or, for a user with
   * a second factor, no session but `{ mfaRequired: true, methods, challengePage }` and the
   * `__Host-mfa` cookie. For sign-in flows of your own (magic links); see `AuthCore.signIn`.
   */
  signIn(req: Request, res: Response, user: DirectoryUser, options?: SignInOptions): Promise<SignInOutcome>
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
  /**
   * Tells auth that a user changed in the directory (roles granted or taken away): re-reads the
   * user, rewrites the roles of every session and refresh family of theirs, and, given the
   * request and response of that user's own request, gives its session a new token at once. A user
   * the directory no longer has is signed out everywhere. Returns the user as now read, or `null`.
   *
   * How soon others see the change: the `session` strategy on their next request; the `token`
   * strategy at their next refresh, at most one access-token lifetime later (an access JWT already
   * issued keeps its roles until it expires); native clients likewise at their next `POST /token`.
   *
   * @example
   * ```ts
   * await users.setRoles('u-alice', ['member'])
   * await auth.updateUser('u-alice')
   * ```
   */
  updateUser(userId: string, req?: Request, res?: Response): Promise<DirectoryUser | null>
  authorize<Rules extends Record<string, (subject: never, resource: never) => PolicyResult>, A extends keyof Rules & string>(
    policies: Policies<Rules>,
    action: A,
    loadResource?: ResourceLoader<Rules, A>,
  ): RequestHandler
  /**
   * Runs `listener` after any session of this process ends: `POST /auth/logout`, `/logout-all`,
   * `DELETE /auth/sessions/:id`, an account that is gone, sign-in replacing a session, and the
   * app's own `sessions.revoke()` calls (it subscribes to core's `sessions.onEnd`). A listener that
   * throws or rejects is logged by error name only and never breaks the sign-out. Returns an
   * unsubscribe function. For extensions that keep per-session state (OAuth provider tokens).
   */
  onSessionEnd(listener: SessionEndListener): () => void
  /**
   * Emits an audit event through the `audit` sink of `createAuth`, stamped with the time and the
   * request's id and client. Never throws. For extensions (OAuth sign-in failures); put ids and
   * bounded reasons in it, never a token, code or password.
   */
  audit(req: Request, event: Omit<AuditEvent, 'at'>): void
  /**
   * The CSRF guard of `/auth/*` for the app's own routes: on POST, PUT, PATCH and DELETE the
   * signed double-submit token bound to the session (`x-csrf-token` equal to the CSRF cookie),
   * Origin (or Referer) on `http.origin`, and no `Sec-Fetch-Site: cross-site`; else 403
   * problem+json of type `…/csrf`. `@acme/auth-react`'s fetch client sends the header.
   *
   * @example
   * ```ts
   * app.post('/notes', requireAuth(), auth.csrf(), express.json(), createNote)
   * app.use('/admin/api', auth.csrf(), adminRouter) // or a whole router
   * ```
   */
  csrf(): RequestHandler
  /** The framework-neutral core behind these bindings: hand it to another adapter (`createFetchAuth(auth.core)`). */
  readonly core: AuthCore
}

/**
 * Express 5 bindings of Acme Auth, over the framework-neutral core (`auth.core`).
 *
 * @example
 * ```ts
 * const auth = createAuth({ sessions, users, passwords, http: { origin: 'http://localhost:3000', secret } })
 * app.use(auth.middleware())
 * app.use('/auth', auth.router())
 * app.get('/me', requireAuth(), (req, res) => res.json(req.auth!.user))
 * ```
 */
export function createAuth(options: AuthOptions | AuthCore): Auth {
  const core = coreOf(options)
  const exchange = (req: Request, res: Response) => new ExpressExchange(req, res)
  const middleware = authMiddleware(core)
  const router = expressHandler((ex) => core.handle(ex))
  return Object.freeze({
    core,
    middleware: () => middleware,
    router: () => router,
    sessionPayload: (req: Request, res: Response) => core.sessionPayload(exchange(req, res)),
    signIn: (req: Request, res: Response, user: DirectoryUser, signInOptions?: SignInOptions) =>
      core.signIn(exchange(req, res), user, signInOptions),
    async issueSession(user: DirectoryUser, issueOptions?: { authLevel?: string; client?: ClientInfo }) {
      const { cookie, csrfToken, auth } = await core.issueSession(user, issueOptions)
      return { cookie, csrfToken, auth }
    },
    jwks(): RequestHandler {
      if (!core.hasTokens) throw new TypeError('createAuth: auth.jwks() needs options.tokens')
      return (_req, res, next) => {
        core.jwks().then((answer) => sendAnswer(res, answer)).catch(next)
      }
    },
    bff: (bffOptions: AuthBffOptions): BffMiddleware => bffMiddleware(core.bff(bffOptions)),
    updateUser: (userId: string, req?: Request, res?: Response) =>
      core.updateUser(userId, req && res ? exchange(req, res) : undefined),
    authorize: (policies, action, loadResource) => authorizeGuard(core, policies, action, loadResource),
    onSessionEnd: (listener: SessionEndListener) => core.onSessionEnd(listener),
    audit: (req: Request, event: Omit<AuditEvent, 'at'>) => core.audit(new ExpressExchange(req, req.res!), event),
    csrf(): RequestHandler {
      return (req, res, next) => {
        core.csrf(exchange(req, res)).then((refused) => (refused ? sendAnswer(res, refused) : next()), next)
      }
    },
  } satisfies Auth)
}
