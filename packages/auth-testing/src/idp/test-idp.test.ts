import { createHash, randomBytes } from 'node:crypto'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestIdP, type TestIdP } from './test-idp.js'

const redirectUri = 'http://127.0.0.1:9/callback'
const publicRedirectUri = 'http://127.0.0.1:9/public/callback'

function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

function authorizationUrl(idp: TestIdP, params: Record<string, string>): URL {
  const url = new URL(`${idp.issuer}/auth`)
  url.search = new URLSearchParams({ response_type: 'code', scope: 'openid email profile', redirect_uri: redirectUri, client_id: 'app', ...params }).toString()
  return url
}

async function token(idp: TestIdP, body: Record<string, string>, secret: string | null = 'app-secret') {
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(secret === null ? {} : { authorization: `Basic ${Buffer.from(`app:${secret}`).toString('base64')}` }),
    },
    body: new URLSearchParams(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

describe('startTestIdP', () => {
  let idp: TestIdP
  beforeAll(async () => {
    idp = await startTestIdP({
      clients: [
        { clientId: 'app', clientSecret: 'app-secret', redirectUris: [redirectUri], postLogoutRedirectUris: ['http://127.0.0.1:9/'] },
        { clientId: 'spa', redirectUris: [publicRedirectUri] },
      ],
      accounts: [
        { sub: 'alice', email: 'alice@example.com', name: 'Alice' },
        { sub: 'eve', email: 'eve@example.com', emailVerified: false },
      ],
      ttl: { accessToken: 7 },
    })
  })
  afterAll(() => idp.stop())

  it('listens on loopback and publishes discovery with PKCE S256, a JWKS and an end-session endpoint', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      issuer: idp.issuer,
      code_challenge_methods_supported: ['S256'],
      jwks_uri: `${idp.issuer}/jwks`,
      end_session_endpoint: `${idp.issuer}/session/end`,
      userinfo_endpoint: `${idp.issuer}/me`,
    })
  })

  it('completes a login: code + PKCE → signed ID token with the nonce, userinfo, a refresh token, the short access-token lifetime', async () => {
    const { verifier, challenge } = pkce()
    const back = await idp.login(authorizationUrl(idp, { state: 's1', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256' }), { account: 'alice' })
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri)
    expect(back.searchParams.get('state')).toBe('s1')
    expect(back.searchParams.get('iss')).toBe(idp.issuer)
    const code = back.searchParams.get('code')!

    const { status, json } = await token(idp, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })
    expect(status).toBe(200)
    expect(json.expires_in).toBe(7)
    expect(typeof json.refresh_token).toBe('string')
    const { payload } = await jwtVerify(json.id_token as string, createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)), { issuer: idp.issuer, audience: 'app' })
    expect(payload).toMatchObject({ sub: 'alice', nonce: 'n1' })

    const me = await fetch(`${idp.issuer}/me`, { headers: { authorization: `Bearer ${json.access_token as string}` } })
    expect(await me.json()).toEqual({ sub: 'alice', email: 'alice@example.com', email_verified: true, name: 'Alice' })

    const refreshed = await token(idp, { grant_type: 'refresh_token', refresh_token: json.refresh_token as string })
    expect(refreshed.status).toBe(200)
    expect(refreshed.json.access_token).not.toBe(json.access_token)

    // The code is single-use.
    const again = await token(idp, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })
    expect(again.status).toBe(400)
    expect(again.json.error).toBe('invalid_grant')
  })

  it('refuses a wrong PKCE verifier', async () => {
    const { challenge } = pkce()
    const back = await idp.login(authorizationUrl(idp, { state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' }))
    const res = await token(idp, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: pkce().verifier })
    expect(res.json.error).toBe('invalid_grant')
  })

  it('requires PKCE', async () => {
    const back = await idp.login(authorizationUrl(idp, { state: 's', nonce: 'n' }))
    expect(back.searchParams.get('error')).toBe('invalid_request')
  })

  it('reports an account’s unverified email as such', async () => {
    const { verifier, challenge } = pkce()
    const back = await idp.login(authorizationUrl(idp, { state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' }), { account: 'eve' })
    const { json } = await token(idp, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier })
    const me = await fetch(`${idp.issuer}/me`, { headers: { authorization: `Bearer ${json.access_token as string}` } })
    expect(await me.json()).toMatchObject({ sub: 'eve', email_verified: false })
  })

  it('lets the user deny: the client gets error=access_denied with its state', async () => {
    const { challenge } = pkce()
    const back = await idp.login(authorizationUrl(idp, { state: 'denied', code_challenge: challenge, code_challenge_method: 'S256' }), { deny: true })
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('denied')
  })

  it('serves public clients (no secret, PKCE only)', async () => {
    const { verifier, challenge } = pkce()
    const url = authorizationUrl(idp, { client_id: 'spa', redirect_uri: publicRedirectUri, state: 's', code_challenge: challenge, code_challenge_method: 'S256' })
    const back = await idp.login(url)
    const res = await token(idp, { grant_type: 'authorization_code', client_id: 'spa', code: back.searchParams.get('code')!, redirect_uri: publicRedirectUri, code_verifier: verifier }, null)
    expect(res.status).toBe(200)
  })

  it('shows people an account picker when the interaction is visited without an account', async () => {
    const { challenge } = pkce()
    const first = await fetch(authorizationUrl(idp, { state: 's', code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' })
    const interaction = new URL(first.headers.get('location')!, idp.issuer)
    const page = await fetch(interaction, { headers: { cookie: first.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ') } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`?account=alice`)
    expect(html).toContain('Alice')
  })

  it('refuses an authorization URL of another server', async () => {
    await expect(idp.login('https://evil.example/auth')).rejects.toThrow(TypeError)
  })

  it('stops: the port no longer answers', async () => {
    const other = await startTestIdP({ clients: [{ clientId: 'x', redirectUris: [redirectUri] }] })
    await other.stop()
    await expect(fetch(`${other.issuer}/.well-known/openid-configuration`)).rejects.toThrow()
  })
})
