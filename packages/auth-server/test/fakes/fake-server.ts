// Loopback fakes of real providers: node:http on 127.0.0.1, reached through the providers' REAL
// URLs by a `fetch` that only rewrites the origin, so the presets run unchanged (https checks,
// issuer comparison, openid-client's Entra ID handling) against answers shaped as the providers document.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose'
import type { OAuthFetch } from '../../src/index.js'

/** What a fake's handler receives. */
export interface FakeRequest {
  method: string
  /** The URL as the app addressed it (the provider's real origin). */
  url: URL
  headers: IncomingMessage['headers']
  body: string
}

/** What a fake's handler answers. */
export type FakeAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { status: 302; location: string }

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Every request, in order: `<method> <real origin><path>`. */
  log: string[]
  close(): Promise<void>
}

/** The real origin a request was meant for travels in this header (set by {@link routeTo}). */
const forwardedOrigin = 'x-fake-origin'

export async function startFakeServer(defaultOrigin: string, handle: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeServer> {
  const log: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const origin = typeof req.headers[forwardedOrigin] === 'string' ? req.headers[forwardedOrigin] : defaultOrigin
      const url = new URL(req.url ?? '/', origin)
      log.push(`${req.method ?? 'GET'} ${url.origin}${url.pathname}`)
      Promise.resolve(handle({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }))
        .then((answer) => {
          if ('location' in answer) {
            res.writeHead(302, { location: answer.location }).end()
          } else if ('json' in answer) {
            res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers }).end(JSON.stringify(answer.json))
          } else {
            res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers }).end(answer.text)
          }
        })
        .catch(() => res.writeHead(500).end())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * A `fetch` that sends requests for the given real origins to the fake (and refuses every other
 * host, as a network without them would): what the `fetch` preset option is for in tests.
 */
export function routeTo(fake: FakeServer, origins: readonly string[]): OAuthFetch {
  return (url, init) => {
    const target = new URL(url)
    if (!origins.includes(target.origin)) return Promise.reject(new TypeError('fetch failed'))
    const headers = { ...init.headers, [forwardedOrigin]: target.origin }
    return fetch(`${fake.url}${target.pathname}${target.search}`, { ...init, headers })
  }
}

/** The browser's leg: GETs a provider URL (the authorize endpoint) on the fake, without following the redirect. */
export async function visit(fake: FakeServer, providerUrl: string): Promise<Response> {
  const target = new URL(providerUrl)
  return fetch(`${fake.url}${target.pathname}${target.search}`, { redirect: 'manual', headers: { [forwardedOrigin]: target.origin } })
}

/** An RS256 signing key published in a JWKS, as Google and Entra sign ID tokens. */
export interface SigningKey {
  kid: string
  jwk: JWK
  sign(claims: JWTPayload): Promise<string>
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return {
    kid,
    jwk,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey),
  }
}

/** RFC 7636 S256: does this verifier match the challenge the authorize request carried? */
export function pkceMatches(verifier: string | null, challenge: string): boolean {
  return verifier !== null && createHash('sha256').update(verifier).digest('base64url') === challenge
}

/** OIDC `at_hash`: the left half of the SHA-256 of the access token. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url')
}

/** A form body's fields, and the client credentials however they were sent (Basic or body). */
export function formOf(req: FakeRequest) {
  const form = new URLSearchParams(req.body)
  let clientId = form.get('client_id')
  let clientSecret = form.get('client_secret')
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':')
    clientId = decodeURIComponent(id)
    clientSecret = decodeURIComponent(secret)
  }
  return { form, clientId, clientSecret }
}

/** An authorization code the fake issued: what the token request must match. */
export interface IssuedCode {
  clientId: string
  redirectUri: string
  codeChallenge: string
  nonce: string | null
  account: string
}
