import { AuthError, type AuthErrorCode } from '@acme/auth-core'
import { describe, expect, it } from 'vitest'
import { ProblemError } from './problem-error.js'
import { problem } from './problem.js'
import { toProblem } from './to-problem.js'

describe('toProblem', () => {
  it('answers a credential that does not hold with a 401 that names no check', () => {
    for (const code of ['ERR_JWT_SIGNATURE', 'ERR_JWT_EXPIRED', 'ERR_REFRESH_TOKEN_REUSED'] satisfies AuthErrorCode[]) {
      expect(toProblem(new AuthError(code, 'internal detail'))).toMatchObject({ status: 401, title: 'Unauthorized', code })
      expect(JSON.stringify(toProblem(new AuthError(code, 'internal detail')))).not.toContain('internal detail')
    }
  })

  it('answers keys that cannot sign with a 503, not a 401 that would sign the browser out', () => {
    for (const code of ['ERR_KEY_ENCRYPTION', 'ERR_NO_SIGNING_KEY'] satisfies AuthErrorCode[]) {
      const answer = toProblem(new AuthError(code, 'the secret does not open kid abc'))
      expect(answer).toMatchObject({ status: 503, code })
      expect(answer.type).toMatch(/signing-unavailable$/)
    }
  })

  it('answers a store outage with 503 and anything unknown with a bare 500', () => {
    expect(toProblem(new AuthError('ERR_STORE_UNAVAILABLE', 'redis down'))).toMatchObject({ status: 503 })
    const unknown = toProblem(new Error('SELECT * FROM users failed at line 3'))
    expect(unknown).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(JSON.stringify(unknown)).not.toContain('SELECT')
  })

  it('passes a ProblemError through as it is', () => {
    const teapot = problem(400, 'bad-request', 'Bad Request', 'No.')
    expect(toProblem(new ProblemError(teapot))).toBe(teapot)
  })
})
