import type { RequestHandler } from 'express'
import type { AuthContext } from './auth-context.js'

/** `auth.middleware()`: sets `req.auth` to the signed-in identity or `null`. Store outages go to `next(err)` (503). */
export function authMiddleware(ctx: AuthContext): RequestHandler {
  return (req, res, next) => {
    ctx.strategy.authenticate(req, res).then(
      (auth) => {
        req.auth = auth
        next()
      },
      next,
    )
  }
}
