import type { RequestHandler } from 'express'
import type { AuthCore } from '../core/create-auth-core.js'
import { ExpressExchange } from './express-exchange.js'

/** `auth.middleware()`: sets `req.auth` to the signed-in identity or `null`. Store outages go to `next(err)` (503). */
export function authMiddleware(core: AuthCore): RequestHandler {
  return (req, res, next) => {
    core.authenticate(new ExpressExchange(req, res)).then(() => next(), next)
  }
}
