import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAccountsApp } from '../../test/accounts-app.js'
import { browser } from '../../test/fixtures.js'

describe('account routes against hostile bodies (property-based)', () => {
  it('no JSON value, raw string or content type makes an account route answer 5xx; every error is problem+json', async () => {
    const { app } = await createAccountsApp()
    const client = browser(app)
    await client.login('bob@example.com', 'bob-password') // so that change and delete get past 401
    const field = fc.oneof(fc.anything(), fc.string({ maxLength: 80 }), fc.emailAddress())
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['post', '/auth/signup'],
          ['post', '/auth/email/verification'],
          ['post', '/auth/email/verify'],
          ['post', '/auth/password/forgot'],
          ['post', '/auth/password/reset'],
          ['post', '/auth/password'],
          ['delete', '/auth/account'],
          ['delete', '/auth/accounts/x'],
        ) as fc.Arbitrary<['post' | 'delete', string]>,
        fc.oneof(
          fc.jsonValue().map((value) => ({ type: 'application/json', body: JSON.stringify(value) })),
          fc
            .record({ email: field, password: field, name: field, token: field, currentPassword: field, newPassword: field }, { requiredKeys: [] })
            .map((value) => ({ type: 'application/json', body: JSON.stringify(value) ?? '{}' })),
          fc.string({ maxLength: 300 }).map((body) => ({ type: 'application/json', body })),
          fc.string({ maxLength: 100 }).map((body) => ({ type: 'text/plain', body })),
        ),
        async ([method, path], { type, body }) => {
          const res = await client.raw(method, path).set('content-type', type).send(body)
          expect(res.status, `${method} ${path} ${type} ${body.slice(0, 80)}`).toBeLessThan(500)
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        },
      ),
      { numRuns: 300 },
    )
  }, 60_000)
})
