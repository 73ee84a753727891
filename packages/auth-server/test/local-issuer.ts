// A small JWT issuer with a JWKS endpoint, for BFF tests that must not depend on core's key ring.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { BearerTokenSource } from '../src/index.js'

export interface LocalIssuer {
  jwksUrl: string
  issuer: string
  audience: string
  /** A token source that counts how often it mints. */
  source: BearerTokenSource & { mints: number }
  close(): Promise<void>
}

export async function startLocalIssuer(lifetimeSeconds = 120): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'EdDSA', use: 'sig' }
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = 'https://app.example.com'
  const audience = 'notes-api'
  const source = Object.assign(
    async (auth: Parameters<BearerTokenSource>[0]) => {
      source.mints++
      const expiresAt = Date.now() + lifetimeSeconds * 1000
      const token = await new SignJWT({ sid: auth.session.id, roles: [...auth.user.roles] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-1', typ: 'at+jwt' })
        .setSubject(auth.user.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setJti(crypto.randomUUID())
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(privateKey)
      return { token, expiresAt }
    },
    { mints: 0 },
  )
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    issuer,
    audience,
    source,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
