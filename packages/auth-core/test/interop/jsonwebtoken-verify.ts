// An independent verifier for the interop test: jsonwebtoken + jwks-rsa, reading the JWKS over
// HTTP in a separate process. Input on stdin: { jwksUri, issuer, audience, algorithms, tokens }.
// Output on stdout: one result per token, { ok: true, claims } or { ok: false, error }.
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken'
import { JwksClient } from 'jwks-rsa'

interface Input {
  jwksUri: string
  issuer: string
  audience: string
  algorithms: Algorithm[]
  tokens: string[]
}

let raw = ''
for await (const chunk of process.stdin) raw += String(chunk)
const input = JSON.parse(raw) as Input
const client = new JwksClient({ jwksUri: input.jwksUri, cache: true })

const results = []
for (const token of input.tokens) {
  try {
    const decoded = jwt.decode(token, { complete: true })
    if (!decoded || typeof decoded.header.kid !== 'string') throw new Error('no kid')
    const key = await client.getSigningKey(decoded.header.kid)
    const claims = jwt.verify(token, key.getPublicKey(), {
      algorithms: input.algorithms,
      issuer: input.issuer,
      audience: input.audience,
    }) as JwtPayload
    results.push({ ok: true, claims })
  } catch (error) {
    results.push({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
  }
}
process.stdout.write(JSON.stringify(results))
