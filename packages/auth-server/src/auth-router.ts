import express, { type Request, type RequestHandler, type Router } from 'express'
import type { AuthContext } from './auth-context.js'
import { csrfGuard } from './csrf-guard.js'
import { problemErrorHandler } from './error-handler.js'
import { authMiddleware } from './middleware.js'
import { problem } from './problem.js'
import { ProblemError, notFound } from './problem-error.js'
import { loginRoute } from './routes/login-route.js'
import { isNativeCall, refreshRoute, tokenRoute } from './routes/token-routes.js'
import type { TokenStrategy } from './token-strategy.js'
import {
  csrfRoute,
  listSessionsRoute,
  logoutAllRoute,
  logoutRoute,
  revokeSessionRoute,
  sessionRoute,
} from './routes/session-routes.js'

const bodyLimit = '16kb'

/**
 * Unsafe requests with a body must say it is JSON (415 otherwise, never parsed); `POST /token`
 * also takes the OAuth form encoding.
 */
const jsonOnly: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
  if (!hasBody || req.is('application/json')) return next()
  if (req.path === '/token' && req.is('application/x-www-form-urlencoded')) return next()
  next(new ProblemError(problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send application/json.')))
}

/** The `/auth` router of the HTTP contract. */
export function createAuthRouter(ctx: AuthContext, tokenStrategy: TokenStrategy | undefined): Router {
  const router = express.Router()
  const ensureAuth = authMiddleware(ctx)
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    // Works with or without app-level auth.middleware(): runs it here when it did not run.
    if (req.auth === undefined) ensureAuth(req, res, next)
    else next()
  })
  router.use(jsonOnly, express.json({ limit: bodyLimit, strict: true }))
  router.use('/token', express.urlencoded({ limit: bodyLimit, extended: false }))
  router.use(csrfGuard(ctx, isNativeCall))

  router.get('/csrf', csrfRoute(ctx))
  router.post('/login', loginRoute(ctx, tokenStrategy))
  router.post('/refresh', refreshRoute(ctx, tokenStrategy))
  router.post('/token', tokenRoute(ctx, tokenStrategy))
  router.post('/logout', logoutRoute(ctx))
  router.post('/logout-all', logoutAllRoute(ctx))
  router.get('/session', sessionRoute(ctx))
  router.get('/sessions', listSessionsRoute(ctx))
  router.delete('/sessions/:id', revokeSessionRoute(ctx))

  router.use((_req: Request) => {
    throw notFound()
  })
  router.use(problemErrorHandler())
  return router
}
