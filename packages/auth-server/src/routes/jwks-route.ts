import type { KeyRing } from '@acme/auth-core'
import type { Answer } from '../http/answer.js'
import { problemAnswer } from '../http/problem-answer.js'

/**
 * `GET /.well-known/jwks.json`: the public signing keys (next, active, retired), cacheable for the
 * key ring's max-age so that verifiers pick up a `next` key before it signs.
 */
export async function jwksAnswer(keyRing: KeyRing): Promise<Answer> {
  try {
    const jwks = await keyRing.jwks()
    return { status: 200, headers: { 'Cache-Control': `public, max-age=${keyRing.jwksMaxAgeSeconds}` }, body: { json: jwks, type: 'application/jwk-set+json' } }
  } catch (error) {
    return problemAnswer(error)
  }
}
