import { createAuthMetrics } from '@acme/auth-core'
import type { AuthContext } from '../core/auth-context.js'
import type { Exchange } from '../http/exchange.js'
import { readCookie } from '../cookies/cookie-header.js'
import { forbidden, type ProblemError } from '../errors/problem-error.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])
// Follows the global meter provider at each record: set up order does not matter.
const metrics = createAuthMetrics()

/** Whether a method needs the CSRF check (POST, PUT, PATCH, DELETE and anything unknown). */
export const isUnsafeMethod = (method: string): boolean => !safeMethods.has(method)

/**
 * The contract's CSRF rules for every unsafe method, decided here for every adapter alike: a
 * signed double-submit token bound to the session, `Sec-Fetch-Site` not `cross-site`, Origin (or
 * Referer) on our origins (`Origin: null` is cross-site). Needs `ex.auth` set (the token is
 * bound to the session). Returns the 403 to answer, or `null` when the request passes.
 */
export async function checkCsrf(ctx: AuthContext, ex: Exchange, exempt = false): Promise<ProblemError | null> {
  if (!isUnsafeMethod(ex.method) || exempt || ctx.config.csrfExempt?.(ex) === true) return null
  const cookie = readCookie(ex.header('cookie'), ctx.cookies.names.csrf)
  if (cookie.kind === 'duplicate') {
    metrics.csrfRejection('duplicate-cookie')
    return forbidden('csrf', 'The CSRF cookie was sent more than once.')
  }
  const binding = await ctx.strategy.csrfBinding(ex)
  const failure = ctx.csrf.check(ex, cookie.kind === 'value' ? cookie.value : undefined, binding)
  if (failure === null) return null
  metrics.csrfRejection(failure)
  return forbidden('csrf', `CSRF check failed: ${failure}.`)
}
