import type { RequestHandler } from 'express'
import { authenticateNow } from '../core/authenticate-now.js'
import { contextOf, type AuthCore } from '../core/create-auth-core.js'
import type { RequestAuth } from '../core/request-auth.js'
import { ExpressExchange } from './express-exchange.js'

/** `auth.middleware()`: sets `req.auth` to the signed-in identity or `null`. Store outages go to `next(err)` (503). */
export function authMiddleware(core: AuthCore): RequestHandler {
  const { strategy } = contextOf(core)
  return (req, res, next) => {
    let auth: RequestAuth | null | Promise<RequestAuth | null>
    try {
      auth = authenticateNow(strategy, new ExpressExchange(req, res))
    } catch (error) {
      return next(error)
    }
    // A session known at once (cached, in memory) goes on in the same tick, as a hand-written check would.
    if (auth instanceof Promise) auth.then(() => next(), next)
    else next()
  }
}
