import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'

describe('request bodies against hostile input (property-based)', () => {
  it('no JSON value, raw string or content type makes /auth answer 5xx; every error is problem+json', async () => {
    const { app } = await createTestApp({ nativeClients: true })
    const client = browser(app)
    await client.fetchCsrf()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/auth/login', '/auth/token', '/auth/logout', '/auth/refresh', '/auth/logout-all'),
        fc.oneof(
          fc.jsonValue().map((value) => ({ type: 'application/json', body: JSON.stringify(value) })),
          fc.record({ email: fc.anything(), password: fc.anything(), client: fc.anything() }).map((value) => ({
            type: 'application/json',
            body: JSON.stringify(value) ?? '{}',
          })),
          fc.string({ maxLength: 300 }).map((body) => ({ type: 'application/json', body })),
          fc.string({ maxLength: 300 }).map((body) => ({ type: 'application/x-www-form-urlencoded', body })),
          fc.string({ maxLength: 100 }).map((body) => ({ type: 'text/plain', body })),
        ),
        async (path, { type, body }) => {
          const res = await client.raw('post', path).set('content-type', type).send(body)
          expect(res.status, `${path} ${type} ${body.slice(0, 80)}`).toBeLessThan(500)
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        },
      ),
      { numRuns: 400 },
    )
  }, 60_000)
})
