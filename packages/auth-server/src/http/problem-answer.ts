import { ProblemError } from '../errors/problem-error.js'
import { toProblem } from '../errors/to-problem.js'
import type { Answer } from './answer.js'

/**
 * The one place where errors become HTTP answers: `application/problem+json`, never a stack trace
 * (`toProblem` answers every code of the error tree; anything unknown is a plain 500).
 */
export function problemAnswer(error: unknown): Answer {
  const body = toProblem(error)
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
  if (body.status === 503) headers['Retry-After'] = '5'
  if (error instanceof ProblemError) Object.assign(headers, error.headers)
  return { status: body.status, headers, body: { json: body, type: 'application/problem+json' } }
}
