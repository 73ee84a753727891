import type { ErrorRequestHandler } from 'express'
import { ProblemError } from './problem-error.js'
import { toProblem } from './to-problem.js'

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
    if (error instanceof ProblemError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
    res.setHeader('Cache-Control', 'no-store')
    res.status(body.status).type('application/problem+json').json(body)
  }
}
