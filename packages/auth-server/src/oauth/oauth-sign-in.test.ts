import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, errorPage, userOf, origin, setCookieLines, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

describe('OAuth/OIDC sign-in against a real OpenID Provider', () => {
  let bed: OAuthTestBed
  beforeAll(async () => {
    bed = await startOAuthTestBed()
  })
  afterAll(() => bed.stop())

  it('redirects to the provider with state, nonce and PKCE S256, and keeps the transaction in a sealed __Host- cookie', async () => {
    const b = browser(bed.app)
    const res = await b.get('/auth/oauth/demo?returnTo=/notes')
    expect(res.status).toBe(302)
    const url = new URL(res.headers.location as string)
    expect(url.origin + url.pathname).toBe(`${bed.idp.issuer}/auth`)
    const params = url.searchParams
    expect(params.get('response_type')).toBe('code')
    expect(params.get('client_id')).toBe('app')
    expect(params.get('redirect_uri')).toBe(`${origin}/auth/oauth/demo/callback`)
    expect(params.get('scope')).toBe('openid email profile')
    expect(params.get('code_challenge_method')).toBe('S256')
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    const cookie = setCookieLines(res).find((line) => line.startsWith('__Host-oauth-tx='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/Secure/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).toMatch(/Max-Age=600/)
    // Sealed: neither the state nor the PKCE verifier can be read from it.
    expect(cookie).not.toContain(params.get('state')!)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('completes the whole flow: code exchanged on the server, a NEW session, 302 to the same-origin returnTo', async () => {
    const b = browser(bed.app)
    await b.login('alice@example.com', 'alice-password')
    const passwordSession = b.cookie('__Host-sid')
    const { res } = await signInWithProvider(bed, b, 'demo', { account: 'alice-sub' }, '/notes?page=2#top')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes?page=2#top')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(b.cookie('__Host-sid')).toBeDefined()
    expect(b.cookie('__Host-sid')).not.toBe(passwordSession)
    expect(b.cookie('__Host-oauth-tx')).toBeUndefined()
    const session = await b.get('/auth/session')
    // alice's verified email links to the existing directory user.
    expect(userOf(session)).toMatchObject({ id: 'u-alice', email: 'alice@example.com' })
    // The session the browser brought is over (no fixation).
    const old = await browser(bed.app).get('/auth/session', { cookie: `__Host-sid=${passwordSession}` })
    expect(old.body).toEqual({ user: null })
    const identity = bed.identities.at(-1)!
    expect(identity).toMatchObject({ provider: 'demo', issuer: bed.idp.issuer, sub: 'alice-sub', email: 'alice@example.com', emailVerified: true, name: 'Alice' })
  })

  it('keeps the provider tokens on the server, sealed: the store holds no token in clear', async () => {
    const b = browser(bed.app)
    await signInWithProvider(bed, b)
    const answer = bed.tokenAnswers.at(-1)!
    const dump = bed.tokenStore.snapshot().join('\n')
    expect(dump).not.toContain(answer.access_token as string)
    expect(dump).not.toContain(answer.refresh_token as string)
    expect(dump).not.toContain((answer.id_token as string).split('.')[1]!)
    expect(bed.tokenStore.snapshot().every((sealed) => sealed.startsWith('v1.'))).toBe(true)
  })

  it('never links an account because an unverified email matches', async () => {
    const b = browser(bed.app)
    const { res } = await signInWithProvider(bed, b, 'demo', { account: 'mallory-sub' })
    expect(res.status).toBe(302)
    expect(bed.identities.at(-1)).toMatchObject({ sub: 'mallory-sub', email: 'bob@example.com', emailVerified: false })
    const session = await b.get('/auth/session')
    expect(userOf(session)?.id).toBe('u-mallory-sub')
    expect(userOf(session)?.id).not.toBe('u-bob')
  })

  it('sends the browser to the error page when the app refuses the identity, with no session', async () => {
    const b = browser(bed.app)
    const { res } = await signInWithProvider(bed, b, 'demo', { account: 'blocked-sub' })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_ACCOUNT_NOT_ALLOWED`)
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('turns a provider error (access_denied) into a redirect to the error page, never a 500', async () => {
    const b = browser(bed.app)
    const { callback, res } = await signInWithProvider(bed, b, 'demo', { deny: true })
    expect(callback.searchParams.get('error')).toBe('access_denied')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_ACCESS_DENIED`)
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('signs in with a public client (PKCE only, no secret)', async () => {
    const b = browser(bed.app)
    const { res } = await signInWithProvider(bed, b, 'public', { account: 'carol-sub' })
    expect(res.status).toBe(302)
    expect(userOf(await b.get('/auth/session'))).toMatchObject({ id: 'u-carol-sub' })
  })

  it('signs in with a plain OAuth 2.0 provider configured by explicit endpoints and a userinfo endpoint', async () => {
    const b = browser(bed.app)
    const { start, res } = await signInWithProvider(bed, b, 'plain', { account: 'carol-sub' })
    expect(new URL(start.headers.location as string).searchParams.get('nonce')).toBeNull()
    expect(res.status).toBe(302)
    expect(bed.identities.at(-1)).toMatchObject({ provider: 'plain', sub: 'carol-sub', email: 'carol@example.com', emailVerified: true })
    expect(userOf(await b.get('/auth/session'))).toMatchObject({ id: 'u-carol-sub' })
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example', 'notes'])(
    'sends the browser to / instead of returnTo=%j',
    async (returnTo) => {
      const b = browser(bed.app)
      const { res } = await signInWithProvider(bed, b, 'demo', { account: 'alice-sub' }, returnTo)
      expect(res.status).toBe(302)
      expect(res.headers.location).toBe('/')
    },
  )

  it('answers 404 problem+json for an unknown provider', async () => {
    const res = await browser(bed.app).get('/auth/oauth/nope')
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  })
})
