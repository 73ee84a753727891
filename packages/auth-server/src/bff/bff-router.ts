import express, { type Router } from 'express'
import type { AuthContext } from '../auth-context.js'
import { csrfGuard } from '../csrf-guard.js'
import { problemErrorHandler } from '../error-handler.js'
import { authMiddleware } from '../middleware.js'
import { createBffProxy, type BffProxyOptions } from './bff-proxy.js'

/** Options of `auth.bff()`. */
export interface BffOptions extends Omit<BffProxyOptions, 'tokens'> {
  /** Path the proxy answers under. @default '/api' */
  mount?: string
  /** Where the Bearer token comes from. */
  tokens: BffProxyOptions['tokens']
}

/** The BFF as a router to mount at the app's root: `app.use(auth.bff({ upstream }))`. */
export function createBffRouter(ctx: AuthContext, options: BffOptions): Router & { close: () => Promise<void> } {
  const mount = options.mount ?? '/api'
  if (!/^\/[A-Za-z0-9/_-]*$/.test(mount)) throw new TypeError("bff: mount must look like '/api'")
  const proxy = createBffProxy(options)
  const ensureAuth = authMiddleware(ctx)
  const inner = express.Router()
  inner.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    if (req.auth === undefined) ensureAuth(req, res, next)
    else next()
  })
  inner.use(csrfGuard(ctx))
  inner.use(proxy.handler)
  inner.use(problemErrorHandler())
  const router = express.Router() as Router & { close: () => Promise<void> }
  router.use(mount, inner)
  router.close = proxy.close
  return router
}
