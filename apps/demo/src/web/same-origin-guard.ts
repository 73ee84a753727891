import { problem, ProblemError } from '@acme/auth-server'
import type { RequestHandler } from 'express'

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * CSRF for the demo's own unsafe routes (the admin actions): Origin on the app's origin, no
 * `Sec-Fetch-Site: cross-site`, and `x-csrf-token` equal to the `__Host-csrf` cookie.
 *
 * Workaround: `@acme/auth-server` applies its signed, session-bound CSRF check only inside
 * `auth.router()` and `auth.bff()` and does not export it for an app's own routes. This guard
 * is the plain double-submit variant; replace it with the package's guard once it is exported.
 */
export function sameOriginGuard(origin: string): RequestHandler {
  const refuse = (detail: string) => new ProblemError(problem(403, 'csrf', 'Forbidden', detail))
  return (req, _res, next) => {
    if (!unsafe.has(req.method)) return next()
    if (req.headers['sec-fetch-site'] === 'cross-site') return next(refuse('CSRF check failed: cross-site.'))
    if (req.headers.origin !== origin) return next(refuse('CSRF check failed: origin-mismatch.'))
    const header = req.headers['x-csrf-token']
    const cookie = /(?:^|;\s*)__Host-csrf=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (typeof header !== 'string' || cookie === undefined || header !== cookie) return next(refuse('CSRF check failed: token-mismatch.'))
    next()
  }
}
