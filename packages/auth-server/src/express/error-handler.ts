import type { ErrorRequestHandler } from 'express'
import { problemAnswer } from '../http/problem-answer.js'
import { sendAnswer } from './send-answer.js'

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
    sendAnswer(res, problemAnswer(error)).catch(next)
  }
}
