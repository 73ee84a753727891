import { createAuthMetrics } from '@acme/auth-core'
import type { AuthContext } from './auth-context.js'
import { authenticateNow } from './authenticate-now.js'
import { authenticateBearer } from '../strategies/bearer-auth.js'
import { checkCsrf } from '../csrf/csrf-guard.js'
import type { Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { problemAnswer } from '../http/problem-answer.js'
import { parseBody } from '../http/read-body.js'
import { createRouteTable, type Route } from '../http/route-table.js'
import { notFound } from '../errors/problem-error.js'
import { consumeRouteLimit, limitedRouteOf } from '../routes/route-limits.js'
import { loginRoute } from '../routes/login-route.js'
import { accountRoutes } from '../routes/account-routes.js'
import { mfaRoutes } from '../routes/mfa-routes.js'
import { passkeyRoutes } from '../routes/passkey-routes.js'
import { trustedDeviceRoutes } from '../routes/trusted-device-routes.js'
import { isNativeCall, refreshRoute, revokeRoute, tokenRoute } from '../routes/token-routes.js'
import {
  csrfRoute,
  listSessionsRoute,
  logoutAllRoute,
  logoutRoute,
  revokeSessionRoute,
  sessionRoute,
} from '../routes/session-routes.js'
import type { TokenStrategy } from '../strategies/token-strategy.js'

const bodyLimitBytes = 16 * 1024

/** The paths under the per-IP token-route limit, and their names in metrics. */
const tokenRoutePaths = new Map([
  ['/refresh', 'refresh'],
  ['/token', 'token'],
  ['/revoke', 'revoke'],
] as const)

/** `POST /token` and `POST /revoke` also take the OAuth form encoding; everything else JSON only. */
const takesForm = (path: string) => path === '/token' || path === '/revoke'

/** Answers one request under the auth prefix (`ex.path` is relative to it). Never throws. */
export type AuthHandler = (ex: Exchange) => Promise<Answer>

/** Authenticates the exchange once (cookies), unless an adapter already did. */
export async function ensureAuthenticated(ctx: AuthContext, ex: Exchange): Promise<void> {
  await authenticateNow(ctx.strategy, ex)
}

/**
 * The `/auth` routes of the HTTP contract as one table, and the steps every request takes before
 * its route, in this order: the per-IP limits (a refused request costs neither a store read nor a
 * body parse), `Cache-Control: no-store`, authentication (cookie, then Bearer for native
 * clients), the body (JSON, or form for the native token calls; 415 for anything else), and
 * CSRF for every unsafe method (native calls and Bearer requests carry no ambient credential).
 * `extra` are more routes under the same prefix (OAuth's), tried after these.
 */
export function createAuthHandler(ctx: AuthContext, tokenStrategy: TokenStrategy | undefined): AuthHandler {
  const login = loginRoute(ctx, tokenStrategy)
  const route = (method: Route['method'], path: string, handle: Route['handle']): Route => ({ method, path, handle })
  const table = createRouteTable([
    route('GET', '/csrf', (ex) => csrfRoute(ctx, ex)),
    route('POST', '/login', login),
    route('POST', '/refresh', (ex) => refreshRoute(ctx, tokenStrategy, ex)),
    route('POST', '/token', (ex) => tokenRoute(ctx, tokenStrategy, ex)),
    route('POST', '/revoke', (ex) => revokeRoute(ctx, tokenStrategy, ex)),
    route('POST', '/logout', (ex) => logoutRoute(ctx, ex)),
    route('POST', '/logout-all', (ex) => logoutAllRoute(ctx, ex)),
    route('GET', '/session', (ex) => sessionRoute(ctx, ex)),
    route('GET', '/sessions', (ex) => listSessionsRoute(ctx, ex)),
    route('DELETE', '/sessions/:id', (ex, params) => revokeSessionRoute(ctx, ex, params.id)),
    ...accountRoutes(ctx),
    ...mfaRoutes(ctx), ...passkeyRoutes(ctx), ...trustedDeviceRoutes(ctx),
  ])
  const limiter = ctx.config.tokenRouteLimiter
  const metrics = createAuthMetrics()

  const answer = async (ex: Exchange): Promise<Answer> => {
    const limited = limiter ? limitedRouteOf(tokenRoutePaths, ex.path) : undefined
    if (limited !== undefined) await consumeRouteLimit(limiter!, limited, ex, metrics)
    ex.setHeader('Cache-Control', 'no-store')
    await ensureAuthenticated(ctx, ex)
    await authenticateBearer(ctx, tokenStrategy, ex)
    if (ex.method !== 'GET' && ex.method !== 'HEAD') await parseBody(ex, { limitBytes: bodyLimitBytes, form: takesForm(ex.path) })
    const refused = await checkCsrf(ctx, ex, isNativeCall(ex) || ex.bearer === true)
    if (refused) throw refused
    const found = table.match(ex.method, ex.path)
    if (!found) throw notFound()
    return found.route.handle(ex, found.params)
  }

  return (ex) => answer(ex).catch(problemAnswer)
}
