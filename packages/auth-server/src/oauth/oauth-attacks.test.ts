import { createTestClock } from '@acme/auth-testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { browser, codeOf, errorPage, signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

/** Starts a sign-in and lets the IdP complete it; the callback is NOT called yet. */
async function startAndLogin(bed: OAuthTestBed, b: ReturnType<typeof browser>, alter?: (url: URL) => void) {
  const start = await b.get('/auth/oauth/demo?returnTo=/notes')
  const url = new URL(start.headers.location as string)
  alter?.(url)
  const callback = await bed.idp.login(url, { account: 'alice-sub' })
  return { callback, path: `${callback.pathname}${callback.search}` }
}

describe('OAuth callback attacks (real OpenID Provider)', () => {
  let bed: OAuthTestBed
  beforeAll(async () => {
    bed = await startOAuthTestBed()
  })
  afterAll(() => bed.stop())
  afterEach(() => {
    delete bed.tamper.request
    delete bed.tamper.tokenResponse
    bed.tamper.down = false
  })

  it('refuses a callback without state (400), and one from a browser that never started a sign-in (400)', async () => {
    const b = browser(bed.app)
    const { callback } = await startAndLogin(bed, b)
    callback.searchParams.delete('state')
    const noState = await b.get(`${callback.pathname}${callback.search}`)
    expect(noState.status).toBe(400)
    expect(codeOf(noState)).toBe('ERR_OAUTH_STATE_MISSING')

    const { path } = await startAndLogin(bed, browser(bed.app))
    const stranger = await browser(bed.app).get(path)
    expect(stranger.status).toBe(400)
    expect(codeOf(stranger)).toBe('ERR_OAUTH_STATE_MISSING')
    expect(stranger.headers['content-type']).toMatch(/application\/problem\+json/)
  })

  it('refuses a forged state (400) and signs nobody in', async () => {
    const b = browser(bed.app)
    const { callback } = await startAndLogin(bed, b)
    callback.searchParams.set('state', 'forged-state-value-forged-state-value-forged')
    const res = await b.get(`${callback.pathname}${callback.search}`)
    expect(res.status).toBe(400)
    expect(codeOf(res)).toBe('ERR_OAUTH_STATE_INVALID')
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('refuses a forged or tampered transaction cookie (400)', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    const sealed = b.cookie('__Host-oauth-tx')!
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1)
    expect(flipped).not.toBe(sealed)
    b.jar.set('__Host-oauth-tx', { value: flipped, path: '/' })
    const res = await b.get(path)
    expect(res.status).toBe(400)
    expect(codeOf(res)).toBe('ERR_OAUTH_STATE_INVALID')
  })

  it('refuses a replayed callback (same state, same code, the old cookie put back): 400, and the code is never exchanged twice', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    const sealed = b.cookie('__Host-oauth-tx')!
    const exchangesBefore = bed.grants.filter((grant) => grant.grantType === 'authorization_code').length
    expect((await b.get(path)).status).toBe(302)
    b.jar.set('__Host-oauth-tx', { value: sealed, path: '/' })
    const replay = await b.get(path)
    expect(replay.status).toBe(400)
    expect(codeOf(replay)).toBe('ERR_OAUTH_STATE_REPLAYED')
    expect(bed.grants.filter((grant) => grant.grantType === 'authorization_code').length).toBe(exchangesBefore + 1)
  })

  it('refuses a stolen code replayed inside another transaction: the provider rejects it (401)', async () => {
    const victim = browser(bed.app)
    const { callback } = await startAndLogin(bed, victim)
    expect((await victim.get(`${callback.pathname}${callback.search}`)).status).toBe(302)

    const attacker = browser(bed.app)
    const own = await startAndLogin(bed, attacker)
    const forged = new URL(own.callback)
    forged.searchParams.set('code', callback.searchParams.get('code')!)
    const res = await attacker.get(`${forged.pathname}${forged.search}`)
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_CODE_REJECTED')
    expect(attacker.cookie('__Host-sid')).toBeUndefined()
  })

  it('refuses an ID token whose nonce is not this transaction’s (401)', async () => {
    const b = browser(bed.app)
    // An attacker-initiated authorization request carries the attacker's nonce.
    const { path } = await startAndLogin(bed, b, (url) => url.searchParams.set('nonce', 'attacker-nonce-attacker-nonce-attacker-nonce'))
    const res = await b.get(path)
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_ID_TOKEN_INVALID')
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('refuses the exchange when the PKCE verifier does not match the challenge (401)', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    bed.tamper.request = (_url, body) => {
      if (body.get('grant_type') === 'authorization_code') body.set('code_verifier', 'x'.repeat(43))
    }
    const res = await b.get(path)
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_CODE_REJECTED')
  })

  it('refuses a tampered ID token: the signature is checked through the provider’s JWKS (401)', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    bed.tamper.tokenResponse = (json) => {
      const [header, payload, signature] = (json.id_token as string).split('.')
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
      // Everything else stays valid (iss, aud, exp, nonce, sub): only the signature can tell.
      const forged = Buffer.from(JSON.stringify({ ...claims, email: 'bob@example.com', email_verified: true })).toString('base64url')
      return { ...json, id_token: `${header}.${forged}.${signature}` }
    }
    const before = bed.identities.length
    const res = await b.get(path)
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_ID_TOKEN_INVALID')
    expect(bed.identities.length).toBe(before)
  })

  it('refuses an ID token issued to another client or by another issuer (401)', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    // Swapped for a well-formed but foreign token: a different audience, unsigned by the provider.
    bed.tamper.tokenResponse = (json) => {
      const [header, payload] = (json.id_token as string).split('.')
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
      const foreign = Buffer.from(JSON.stringify({ ...claims, aud: 'someone-else', iss: 'https://evil.example' })).toString('base64url')
      return { ...json, id_token: `${header}.${foreign}.AAAA` }
    }
    const res = await b.get(path)
    expect(res.status).toBe(401)
    expect(codeOf(res)).toBe('ERR_OAUTH_ID_TOKEN_INVALID')
  })

  it('ends on the error page with ERR_OAUTH_PROVIDER_UNAVAILABLE when the provider is down during the callback', async () => {
    const b = browser(bed.app)
    const { path } = await startAndLogin(bed, b)
    bed.tamper.down = true
    const res = await b.get(path)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_PROVIDER_UNAVAILABLE`)
  })

  it('refuses a transaction older than 10 minutes (400)', async () => {
    const clock = createTestClock(Date.now())
    const timed = await startOAuthTestBed({ clock })
    try {
      const b = browser(timed.app)
      const { path } = await startAndLogin(timed, b)
      clock.advance(10 * 60_000 + 1)
      const res = await b.get(path)
      expect(res.status).toBe(400)
      expect(codeOf(res)).toBe('ERR_OAUTH_STATE_INVALID')
    } finally {
      await timed.stop()
    }
  })

  it('ends on the error page when the provider cannot be reached at all (discovery), and recovers when it is back', async () => {
    const down = await startOAuthTestBed()
    try {
      await down.idp.stop()
      const res = await browser(down.app).get('/auth/oauth/demo?returnTo=/notes')
      expect(res.status).toBe(302)
      expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_PROVIDER_UNAVAILABLE`)
      expect(res.headers['set-cookie']).toBeUndefined()
      await down.restartIdP()
      const b = browser(down.app)
      const { res: back } = await signInWithProvider(down, b)
      expect(back.headers.location).toBe('/notes')
    } finally {
      await down.stop()
    }
  })

  it('still signs in normally after all of the above', async () => {
    const b = browser(bed.app)
    const { res } = await signInWithProvider(bed, b)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes')
  })
})
