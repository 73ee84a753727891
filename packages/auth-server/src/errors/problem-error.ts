import { problem, type Problem } from './problem.js'

/** An error that already knows its problem+json answer (bad input, CSRF, not found, …). */
export class ProblemError extends Error {
  readonly problem: Problem
  readonly headers: Readonly<Record<string, string>>

  constructor(body: Problem, headers: Record<string, string> = {}) {
    super(body.title)
    this.name = 'ProblemError'
    this.problem = body
    this.headers = headers
  }
}

export const badRequest = (detail: string) => new ProblemError(problem(400, 'bad-request', 'Bad Request', detail))
export const unauthorized = (detail?: string) => new ProblemError(problem(401, 'unauthenticated', 'Unauthorized', detail))
export const forbidden = (slug: string, detail?: string) => new ProblemError(problem(403, slug, 'Forbidden', detail))
export const notFound = () => new ProblemError(problem(404, 'not-found', 'Not Found'))
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ProblemError(problem(429, 'rate-limited', 'Too Many Requests', 'Too many attempts. Try again later.'), {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  })
