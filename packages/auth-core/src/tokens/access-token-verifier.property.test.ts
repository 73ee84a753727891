import { createTestClock } from '@acme/auth-testing'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { createKeyRing, type KeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { createAccessTokenVerifier } from './access-token-verifier.js'
import { createAccessTokens } from './access-tokens.js'

const clock = createTestClock()
let keyRing: KeyRing
let token: string

beforeAll(async () => {
  keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'property-test-key-encryption-secret-0123', clock })
  await keyRing.ready()
  token = (await createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'api', clock }).issue({ sub: 'u1', sid: 's1', roles: ['member'] })).token
})

describe('access-token verification against hostile input (property-based)', () => {
  it('every malformed or mutated token is rejected with a typed AuthError, never another exception', async () => {
    const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
    expect((await verifier.verify(token)).sub).toBe('u1')
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.anything(),
          fc.tuple(fc.nat(token.length - 1), fc.constantFrom(...'AbZz09_-.=')).map(([at, char]) => token.slice(0, at) + char + token.slice(at + 1)),
          fc.nat(token.length - 1).map((cut) => token.slice(0, cut)),
          fc.array(fc.base64String({ maxLength: 60 }), { minLength: 3, maxLength: 3 }).map((parts) => parts.join('.')),
        ),
        async (candidate) => {
          if (sameBytes(candidate, token)) return
          const outcome = await verifier.verify(candidate).then(
            () => 'accepted',
            (error: unknown) => (isAuthError(error) ? 'rejected' : `threw ${String(error)}`),
          )
          expect(outcome).toBe('rejected')
        },
      ),
      { numRuns: 2000 },
    )
  })
})

/**
 * Base64url's last character carries unused bits: two spellings can decode to the same bytes, and
 * such a "mutation" is the same signed token, rightly accepted. Those are not counterexamples.
 */
function sameBytes(candidate: unknown, original: string): boolean {
  if (typeof candidate !== 'string') return false
  const a = candidate.split('.')
  const b = original.split('.')
  return a.length === b.length && a.every((part, i) => /^[A-Za-z0-9_-]*$/.test(part) && Buffer.from(part, 'base64url').equals(Buffer.from(b[i]!, 'base64url')))
}
