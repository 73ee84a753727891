import { startFakeUpstream, type FakeUpstream } from '@acme/auth-testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, codeOf, origin, userOf, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

const bearerOf = (upstream: FakeUpstream, index = -1) => String(upstream.requests.at(index)?.headers.authorization).replace(/^Bearer /, '')
const refreshes = (bed: OAuthTestBed) => bed.grants.filter((grant) => grant.grantType === 'refresh_token').length

/** True when the provider itself accepts `token` (its userinfo endpoint answers 200). */
async function providerAccepts(bed: OAuthTestBed, token: string): Promise<boolean> {
  const res = await fetch(`${bed.idp.issuer}/me`, { headers: { authorization: `Bearer ${token}` } })
  await res.body?.cancel()
  return res.ok
}

describe('provider tokens through the BFF (real OpenID Provider, 20 s access tokens)', () => {
  let bed: OAuthTestBed
  let upstream: FakeUpstream
  let closeBff: () => Promise<void>
  beforeAll(async () => {
    // Shorter than the BFF's 30 s refresh-ahead window: every token the BFF asks for is "about to
    // expire", so the provider's refresh grant runs for real on each mint.
    bed = await startOAuthTestBed({ accessTokenTtl: 20 })
    upstream = await startFakeUpstream()
    const bff = bed.testApp.auth.bff({ upstream: upstream.url, tokens: bed.oauth.tokenSource('demo') })
    closeBff = bff.close
    bed.extend((app) => app.use(bff))
  })
  afterAll(async () => {
    await closeBff()
    await upstream.stop()
    await bed.stop()
  })

  it('refreshes an access token that is about to expire and sends the new one upstream, never the cookie', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    const signInToken = bed.tokenAnswers.at(-1)!.access_token as string
    const before = refreshes(bed)
    const res = await b.get('/api/notes')
    expect(res.status).toBe(200)
    expect(refreshes(bed)).toBe(before + 1)
    const sent = bearerOf(upstream)
    expect(sent).not.toBe(signInToken)
    expect(sent).toBe(bed.tokenAnswers.at(-1)!.access_token)
    expect(upstream.requests.at(-1)?.headers.cookie).toBeUndefined()
    expect(await providerAccepts(bed, sent)).toBe(true)
  })

  it('refreshes once for many concurrent requests of one session (single-flight)', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    const before = refreshes(bed)
    const seen = upstream.requests.length
    const answers = await Promise.all(Array.from({ length: 6 }, () => b.get('/api/notes')))
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(refreshes(bed)).toBe(before + 1)
    const tokens = new Set(upstream.requests.slice(seen).map((_, i) => bearerOf(upstream, seen + i)))
    expect(tokens.size).toBe(1)
  })

  it('gets a fresh token and retries once when the upstream refuses the current one', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    upstream.behaveNext({ kind: 'status', status: 401 })
    const seen = upstream.requests.length
    const res = await b.get('/api/notes')
    expect(res.status).toBe(200)
    const [refused, retried] = [bearerOf(upstream, seen), bearerOf(upstream, seen + 1)]
    expect(retried).not.toBe(refused)
    expect(await providerAccepts(bed, retried)).toBe(true)
  })

  it('answers 401 ERR_OAUTH_REAUTHENTICATE when the provider refuses the refresh token, and forgets the tokens', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    const refreshToken = bed.tokenAnswers.at(-1)!.refresh_token as string
    const revoked = await fetch(`${bed.idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    })
    expect(revoked.status).toBe(200)
    const res = await b.get('/api/notes')
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_REAUTHENTICATE')
    const again = await b.get('/api/notes')
    expect(again.status).toBe(401)
    expect(codeOf(again)).toBe('ERR_OAUTH_NO_PROVIDER_TOKENS')
  })

  it('answers 401 for a session that did not sign in with the provider', async () => {
    const b = browser(bed.app)
    await b.login('alice@example.com', 'alice-password')
    const res = await b.get('/api/notes')
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_NO_PROVIDER_TOKENS')
  })

  it('answers 502 when the provider is down at refresh time', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    bed.tamper.down = true
    try {
      const res = await b.get('/api/notes')
      expect(res.status).toBe(502)
      expect(codeOf(res)).toBe('ERR_OAUTH_PROVIDER_UNAVAILABLE')
    } finally {
      bed.tamper.down = false
    }
  })

  it('signs out with RP-initiated logout: our session ends, the tokens are forgotten, and the provider’s end-session URL is handed back', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    const { id_token: idToken } = bed.tokenAnswers.at(-1)!
    const held = bed.tokenStore.snapshot().length
    await b.fetchCsrf() // as a client does after sign-in (GET /auth/session carries it too)
    const res = await b.post('/auth/oauth/logout')
    expect(res.status).toBe(204)
    const url = new URL(res.headers.location as string)
    expect(`${url.origin}${url.pathname}`).toBe(`${bed.idp.issuer}/session/end`)
    expect(url.searchParams.get('id_token_hint')).toBe(idToken)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${origin}/`)
    expect(url.searchParams.get('client_id')).toBe('app')
    expect(b.cookie('__Host-sid')).toBeUndefined()
    expect((await b.get('/auth/session')).body).toEqual({ user: null })
    expect(bed.tokenStore.snapshot().length).toBe(held - 1)
    // The provider accepts the request (it answers its confirmation page, not an error).
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/<form/)
  })

  it('refuses RP-initiated logout without the CSRF token (403) and keeps the session', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    await b.fetchCsrf()
    const res = await b.post('/auth/oauth/logout', undefined, { 'x-csrf-token': 'nope' })
    expect(res.status).toBe(403)
    expect(res.headers.location).toBeUndefined()
    expect(userOf(await b.get('/auth/session'))).not.toBeNull()
  })
})
