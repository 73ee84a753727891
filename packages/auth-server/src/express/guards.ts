import { isFreshAuthentication } from '@acme/auth-core'
import type { Request, RequestHandler } from 'express'
import { problem } from '../errors/problem.js'
import { ProblemError, forbidden, unauthorized } from '../errors/problem-error.js'
import type { RequestAuth } from '../core/request-auth.js'
import { authLevelError, type RequiredAuthLevel } from '../core/auth-level.js'

function authOf(req: Request): RequestAuth | null {
  if (req.auth === undefined) {
    // Fails loudly: a guard without the middleware would otherwise let everyone through or no one.
    throw new Error('req.auth is missing: mount auth.middleware() before this guard')
  }
  return req.auth
}

/**
 * 401 problem+json unless the request is signed in.
 *
 * @example
 * ```ts
 * app.get('/me', requireAuth(), (req, res) => res.json(req.auth!.user))
 * ```
 */
export function requireAuth(): RequestHandler {
  return (req, _res, next) => {
    next(authOf(req) ? undefined : unauthorized())
  }
}

/** 401 when anonymous, 403 unless the user has at least one of `roles`. */
export function requireRole(...roles: string[]): RequestHandler {
  if (roles.length === 0) throw new TypeError('requireRole(...roles): name at least one role')
  return (req, _res, next) => {
    const auth = authOf(req)
    if (!auth) return next(unauthorized())
    next(auth.user.roles.some((role) => roles.includes(role)) ? undefined : forbidden('forbidden', 'Missing role.'))
  }
}

/**
 * For sensitive actions: 401 unless the user proved who they are within `maxAgeSeconds`
 * (sign in again, then retry). The problem's type is `…/reauthenticate` so clients can tell.
 */
export function requireFreshSession(maxAgeSeconds: number, now: () => number = Date.now): RequestHandler {
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) throw new TypeError('requireFreshSession(maxAgeSeconds): a positive number')
  return (req, _res, next) => {
    const auth = authOf(req)
    if (!auth) return next(unauthorized())
    if (isFreshAuthentication(auth.session.authenticatedAt, maxAgeSeconds, now())) return next()
    next(new ProblemError(problem(401, 'reauthenticate', 'Unauthorized', 'Sign in again to continue.')))
  }
}

/**
 * Step-up: 401 unless the session proved two factors. The problem's type is `…/mfa-required`, so
 * the client can prompt for a code, `POST /auth/mfa/step-up` it and retry (no new sign-in).
 * Other adapters: `auth.core.checkAuthLevel(exchange, 'mfa')`.
 *
 * @example
 * ```ts
 * app.post('/admin/danger', requireAuthLevel('mfa'), (req, res) => res.json({ ok: true }))
 * ```
 */
export function requireAuthLevel(level: RequiredAuthLevel): RequestHandler {
  authLevelError(null, level) // a wrong level fails at startup, not per request
  return (req, _res, next) => {
    next(authLevelError(authOf(req), level) ?? undefined)
  }
}
