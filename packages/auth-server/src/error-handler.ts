import type { ErrorRequestHandler } from 'express'
import { toProblem } from './problem.js'

/**
 * The one place where errors become HTTP answers: `application/problem+json`, never a stack trace.
 *
 * @example
 * ```ts
 * app.use(problemErrorHandler())
 * ```
 */
export function problemErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error)
    const body = toProblem(error)
    if (body.status === 503) res.setHeader('Retry-After', '5')
    res.status(body.status).type('application/problem+json').json(body)
  }
}
