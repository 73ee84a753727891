import type { RequestHandler } from 'express'
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

/** The BFF middleware, plus `close()` for its keep-alive pool. */
export type BffMiddleware = RequestHandler & { close: () => Promise<void> }

/**
 * The BFF as one middleware to mount at the app's root: `app.use(auth.bff({ upstream }))`. It
 * answers `<mount>` and `<mount>/*` and passes everything else on. One function rather than a
 * stack of routers: it runs on every API call.
 */
export function createBffMiddleware(ctx: AuthContext, options: BffOptions): BffMiddleware {
  const mount = options.mount ?? '/api'
  if (!/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/.test(mount)) throw new TypeError("bff: mount must look like '/api'")
  const { proxy, close } = createBffProxy(options)
  const ensureAuth = authMiddleware(ctx)
  const csrf = csrfGuard(ctx)
  const fail = problemErrorHandler()

  const middleware: RequestHandler = (req, res, next) => {
    const url = req.url
    const rest = url.slice(mount.length)
    if (!url.startsWith(mount) || (rest !== '' && rest[0] !== '/' && rest[0] !== '?')) return next()
    const afterMount = rest === '' || rest[0] === '?' ? `/${rest}` : rest
    const failed = (error: unknown) => fail(error, req, res, next)
    res.setHeader('Cache-Control', 'no-store')
    const forward = () =>
      csrf(req, res, (csrfError?: unknown) => {
        if (csrfError !== undefined) failed(csrfError)
        else proxy(req, res, afterMount).catch(failed)
      })
    if (req.auth === undefined) {
      ensureAuth(req, res, (error?: unknown) => (error === undefined ? forward() : failed(error)))
    } else {
      forward()
    }
  }
  return Object.assign(middleware, { close })
}
