import express, { type Request, type Router } from 'express'
import { problemErrorHandler } from '../error-handler.js'
import { notFound } from '../problem-error.js'
import { logoutRoute, type LogoutDeps } from './logout-route.js'
import { callbackRoute, startRoute, type SignInDeps } from './sign-in-routes.js'

/** The `/auth/oauth` router: sign-in start, callback, and RP-initiated logout. */
export function createOAuthRouter(deps: SignInDeps & LogoutDeps): Router {
  const router = express.Router()
  const ensureAuth = deps.auth.middleware()
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    // The callback URL carries a code: keep it out of Referer headers of whatever comes next.
    res.setHeader('Referrer-Policy', 'no-referrer')
    if (req.auth === undefined) ensureAuth(req, res, next)
    else next()
  })
  router.post('/logout', logoutRoute(deps, deps.auth.router()))
  router.get('/:provider', startRoute(deps))
  router.get('/:provider/callback', callbackRoute(deps))
  router.use((_req: Request) => {
    throw notFound()
  })
  router.use(problemErrorHandler())
  return router
}
