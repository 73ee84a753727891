import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { randomToken } from '../lib/crypto.js'
import { MemorySessionStore } from './memory-session-store.js'
import { createSessionManager } from './session-manager.js'
import { parseSessionToken } from './session-token.js'

describe('session tokens against hostile input (property-based)', () => {
  it('parse never throws, and accepts only <16–64 base64url>.<43 base64url>', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.anything()), (input) => {
        const parts = parseSessionToken(input)
        if (parts !== null) {
          expect(parts.id).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
          expect(parts.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
        }
      }),
      { numRuns: 5000 },
    )
  })

  it('validate never throws and never accepts a malformed or mutated token', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const { token } = await sessions.create('u1')
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          // One character of the real token changed, or cut, or extended.
          fc.tuple(fc.nat(token.length - 1), fc.constantFrom(...'A_-.z9=+/ ')).map(([at, char]) => token.slice(0, at) + char + token.slice(at + 1)),
          fc.nat(token.length - 1).map((cut) => token.slice(0, cut)),
          fc.string({ minLength: 1, maxLength: 5 }).map((tail) => token + tail),
        ),
        async (candidate) => {
          if (candidate === token) return
          expect(await sessions.validate(candidate)).toBeNull()
        },
      ),
      { numRuns: 3000 },
    )
    expect(await sessions.validate(token)).not.toBeNull()
  })

  it('a well-formed token with a random secret is never accepted', async () => {
    const sessions = createSessionManager({ store: new MemorySessionStore() })
    const { session } = await sessions.create('u1')
    for (let i = 0; i < 500; i++) expect(await sessions.validate(`${session.id}.${randomToken(32)}`)).toBeNull()
  })
})
