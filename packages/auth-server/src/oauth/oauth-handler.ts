import { createAuthMetrics } from '@acme/auth-core'
import { ensureAuthenticated, type AuthHandler } from '../core/auth-handler.js'
import { contextOf } from '../core/create-auth-core.js'
import { problemAnswer } from '../http/problem-answer.js'
import { createRouteTable } from '../http/route-table.js'
import { notFound } from '../errors/problem-error.js'
import { consumeRouteLimit } from '../routes/route-limits.js'
import { logoutRoute, type LogoutDeps } from './logout-route.js'
import { callbackRoute, startRoute, type SignInDeps } from './sign-in-routes.js'

/**
 * The OAuth routes (`ex.path` relative to their prefix): sign-in start, callback, and
 * RP-initiated logout. Every answer is `no-store` and `Referrer-Policy: no-referrer` (the
 * callback URL carries a code: keep it out of the Referer of whatever comes next).
 */
export function createOAuthHandler(deps: SignInDeps & LogoutDeps): AuthHandler {
  const limiter = deps.config.startLimiter
  const metrics = createAuthMetrics()
  const ctx = contextOf(deps.core)
  const table = createRouteTable([
    { method: 'POST', path: '/logout', handle: (ex) => logoutRoute(deps, ex) },
    {
      method: 'GET',
      path: '/:provider',
      handle: async (ex, params) => {
        if (limiter) await consumeRouteLimit(limiter, 'oauth_start', ex, metrics)
        return startRoute(deps, ex, params.provider)
      },
    },
    { method: 'GET', path: '/:provider/callback', handle: (ex, params) => callbackRoute(deps, ex, params.provider) },
  ])
  return async (ex) => {
    ex.setHeader('Cache-Control', 'no-store')
    ex.setHeader('Referrer-Policy', 'no-referrer')
    try {
      await ensureAuthenticated(ctx, ex)
      const found = table.match(ex.method, ex.path)
      if (!found) throw notFound()
      return await found.route.handle(ex, found.params)
    } catch (error) {
      return problemAnswer(error)
    }
  }
}
