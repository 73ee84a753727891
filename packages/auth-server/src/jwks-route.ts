import type { KeyRing } from '@acme/auth-core'
import type { RequestHandler } from 'express'

/**
 * `GET /.well-known/jwks.json`: the public signing keys (next, active, retired), cacheable for the
 * key ring's max-age so that verifiers pick up a `next` key before it signs.
 */
export function jwksRoute(keyRing: KeyRing): RequestHandler {
  return async (_req, res) => {
    const jwks = await keyRing.jwks()
    res.setHeader('Cache-Control', `public, max-age=${keyRing.jwksMaxAgeSeconds}`)
    res.type('application/jwk-set+json').json(jwks)
  }
}
