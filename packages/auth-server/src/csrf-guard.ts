import type { RequestHandler } from 'express'
import type { AuthContext } from './auth-context.js'
import { readCookie } from './lib/cookie-header.js'
import { forbidden } from './problem-error.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The contract's CSRF rules for every unsafe method: signed double-submit token bound to the
 * session, Origin/Referer on our origin, no `Sec-Fetch-Site: cross-site`. Needs `req.auth` set.
 */
export function csrfGuard(ctx: AuthContext, isExempt: (req: Parameters<RequestHandler>[0]) => boolean = () => false): RequestHandler {
  return (req, _res, next) => {
    if (safeMethods.has(req.method) || isExempt(req) || ctx.config.csrfExempt?.(req) === true) return next()
    const cookie = readCookie(req.headers.cookie, ctx.cookies.names.csrf)
    if (cookie.kind === 'duplicate') return next(forbidden('csrf', 'The CSRF cookie was sent more than once.'))
    const failure = ctx.csrf.check(req, cookie.kind === 'value' ? cookie.value : undefined, ctx.strategy.csrfBinding(req))
    if (failure === null) return next()
    next(forbidden('csrf', `CSRF check failed: ${failure}.`))
  }
}
