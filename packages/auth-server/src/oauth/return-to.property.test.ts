import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeReturnTo } from './return-to.js'

const probe = 'https://app.example.com'

describe('returnTo against hostile input (property-based)', () => {
  it('whatever the input, the result resolves on our own origin and never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.webUrl(),
          fc.anything(),
          fc.tuple(fc.constantFrom('/', '//', '/\\', '\\', '/\t/', 'javascript:', '%2F%2F', '/%09/', 'https:'), fc.string({ maxLength: 40 })).map(([head, tail]) => head + tail),
        ),
        (value) => {
          const result = safeReturnTo(value)
          expect(result.startsWith('/')).toBe(true)
          expect(result.startsWith('//')).toBe(false)
          // A browser resolving the Location header against our origin stays on our origin.
          expect(new URL(result, probe).origin).toBe(probe)
        },
      ),
      { numRuns: 5000 },
    )
  })
})
