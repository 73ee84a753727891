// Interop: tokens issued here verify with an independent stack (jsonwebtoken + jwks-rsa) in a
// separate process that reads our JWKS over real HTTP, as an upstream service written by
// someone else would. jsonwebtoken has no EdDSA, so the ring here signs RS256 and ES256.
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyRing, type KeyRing } from '../keys/key-ring.js'
import { MemoryKeyStore } from '../keys/memory-key-store.js'
import { createAccessTokens } from './access-tokens.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const issuer = 'https://app.test'
const packageDir = fileURLToPath(new URL('../..', import.meta.url))
const script = fileURLToPath(new URL('../../test/interop/jsonwebtoken-verify.ts', import.meta.url))

let server: Server
let jwksUri: string
const rings: KeyRing[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    void Promise.all(rings.map((ring) => ring.jwks())).then((sets) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' })
      res.end(JSON.stringify({ keys: sets.flatMap((set) => set.keys) }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function verifyElsewhere(input: { tokens: string[]; algorithms: string[]; audience: string }) {
  return new Promise<{ ok: boolean; claims?: Record<string, unknown>; error?: string }[]>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: packageDir, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`verifier exited ${code}: ${err}`))))
    child.stdin.end(JSON.stringify({ jwksUri, issuer, ...input }))
  })
}

describe('interop with jsonwebtoken + jwks-rsa', () => {
  it('verifies RS256 and ES256 tokens issued here, and rejects a tampered one', async () => {
    const tokens: string[] = []
    for (const alg of ['RS256', 'ES256'] as const) {
      const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret, alg })
      rings.push(keyRing)
      const issued = await createAccessTokens({ keyRing, issuer, audience: 'api' }).issue({ sub: `user-${alg}`, sid: 's1', roles: ['member'] })
      tokens.push(issued.token)
    }
    const [header, payload, signature] = tokens[0]!.split('.')
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString('base64url')
    tokens.push(`${header}.${forgedPayload}.${signature}`)

    const results = await verifyElsewhere({ tokens, algorithms: ['RS256', 'ES256'], audience: 'api' })
    expect(results[0]).toMatchObject({ ok: true, claims: { sub: 'user-RS256', iss: issuer, aud: 'api', sid: 's1', roles: ['member'] } })
    expect(results[1]).toMatchObject({ ok: true, claims: { sub: 'user-ES256' } })
    expect(results[2]).toMatchObject({ ok: false, error: expect.stringMatching(/invalid signature/) as string })
  })
})
