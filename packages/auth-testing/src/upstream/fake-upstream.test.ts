import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js'

let jwksServer: Server
let jwksUrl: string
let sign: (claims: Record<string, unknown>) => Promise<string>
let upstream: FakeUpstream

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' }
  jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })))
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('https://issuer.test')
      .setAudience('api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey)
  upstream = await startFakeUpstream({ jwksUrl, issuer: 'https://issuer.test', audience: 'api' })
})
afterAll(async () => {
  await upstream.stop()
  jwksServer.close()
})

describe('startFakeUpstream', () => {
  it('answers a valid Bearer token with the verified claims and records the request', async () => {
    upstream.reset()
    const token = await sign({ sub: 'u1' })
    const res = await fetch(`${upstream.url}/notes?x=1`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-test': 'yes' }, body: 'hello' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { claims: { sub: string } }).claims.sub).toBe('u1')
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/notes?x=1', bodyBytes: 5, claims: { sub: 'u1' } })
    expect(upstream.requests[0]!.headers['x-test']).toBe('yes')
    expect(upstream.requests[0]!.body?.toString()).toBe('hello')
  })

  it('refuses a missing, forged or wrong-audience token with 401', async () => {
    expect((await fetch(upstream.url)).status).toBe(401)
    expect((await fetch(upstream.url, { headers: { authorization: 'Bearer not.a.jwt' } })).status).toBe(401)
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
    const forged = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'EdDSA', kid: 'k1' }).setIssuer('https://issuer.test').setAudience('api').setExpirationTime('5m').sign(privateKey)
    expect((await fetch(upstream.url, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401)
  })

  it('can answer with a status once, slowly, or with a large streamed body', async () => {
    const headers = { authorization: `Bearer ${await sign({ sub: 'u1' })}` }
    upstream.behaveNext({ kind: 'status', status: 500 })
    expect((await fetch(upstream.url, { headers })).status).toBe(500)
    expect((await fetch(upstream.url, { headers })).status).toBe(200)

    upstream.behaveNext({ kind: 'slow', delayMs: 150 })
    const started = performance.now()
    await fetch(upstream.url, { headers })
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)

    upstream.behaveNext({ kind: 'stream', bytes: 5_000_000 })
    const big = await fetch(upstream.url, { headers })
    expect((await big.arrayBuffer()).byteLength).toBe(5_000_000)
  })
})
