import type { RequestHandler, Router } from 'express'
import { createAuthContext } from './auth-context.js'
import { resolveAuthConfig } from './auth-config.js'
import type { AuthOptions } from './auth-options.js'
import { createAuthRouter } from './auth-router.js'
import { createCookiePolicy } from './cookie-policy.js'
import { createCsrf } from './csrf.js'
import { authMiddleware } from './middleware.js'
import { createBffRouter, type BffOptions } from './bff/bff-router.js'
import { authorizeGuard, type ResourceLoader } from './authorize-guard.js'
import type { Policies, PolicyResult } from '@acme/auth-core'
import { createSessionStrategy } from './session-strategy.js'

/** What `createAuth()` returns. */
export interface Auth {
  /** Sets `req.auth` on every request: `{ user, session, strategy }` or `null`. */
  middleware(): RequestHandler
  /** The `/auth` routes of the HTTP contract; mount at `http.basePath` (default `/auth`). */
  router(): Router
  /**
   * The BFF proxy: `/api/*` → the upstream with a fresh Bearer token; mount at the app's root.
   * `close()` ends its keep-alive connections.
   */
  bff(options: BffOptions): Router & { close: () => Promise<void> }
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
  const strategy = createSessionStrategy(config.sessions, cookies)
  const ctx = createAuthContext(config, cookies, csrf, strategy)
  return {
    middleware: () => authMiddleware(ctx),
    router: () => createAuthRouter(ctx),
    bff: (bffOptions) => createBffRouter(ctx, bffOptions),
    authorize: (policies, action, loadResource) => authorizeGuard(ctx, policies, action, loadResource),
  }
}
