import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigningKey, routeTo } from '../../../test/fakes/fake-server.js'
import { googleOrigins, startGoogleFake, type GoogleFake } from '../../../test/fakes/google-fake.js'
import { browser, origin, startPresetTestBed, userOf, type PresetTestBed } from '../../../test/preset-test-bed.js'
import { google, googleIssuer } from './google.js'

const client = { clientId: '1234567890-abc123def456.apps.googleusercontent.com', clientSecret: 'GOCSPX-test-secret' }

describe('google() against a loopback Google', () => {
  let fake: GoogleFake
  let bed: PresetTestBed
  beforeAll(async () => {
    fake = await startGoogleFake(client, {
      alice: { sub: '110169484474386276334', email: 'Alice@Example.com', email_verified: true, name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell' },
      mallory: { sub: '104577618244385671921', email: 'bob@example.com', email_verified: false, name: 'Mallory' },
    })
    bed = await startPresetTestBed('google', google({ ...client, fetch: routeTo(fake, googleOrigins) }), fake)
  })
  afterAll(() => fake.close())

  it('signs in through Google: authorize with PKCE and nonce, ID token verified with the JWKS, identity from its claims', async () => {
    fake.account = 'alice'
    const b = browser(bed.app)
    const { authorize, res } = await bed.signIn(b)
    expect(authorize.origin + authorize.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth')
    expect(authorize.searchParams.get('client_id')).toBe(client.clientId)
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${origin}/auth/oauth/google/callback`)
    expect(authorize.searchParams.get('scope')).toBe('openid email profile')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes')
    expect(bed.identities.at(-1)).toMatchObject({
      provider: 'google',
      issuer: googleIssuer,
      sub: '110169484474386276334',
      email: 'alice@example.com',
      emailVerified: true,
      name: 'Alice Liddell',
    })
    // Alice's verified Google address links to her directory account.
    expect(userOf(await b.get('/auth/session'))).toMatchObject({ id: 'u-alice' })
    expect(fake.log).toContain('POST https://oauth2.googleapis.com/token')
    expect(fake.log).toContain('GET https://www.googleapis.com/oauth2/v3/certs')
    expect(fake.log).toContain('GET https://openidconnect.googleapis.com/v1/userinfo')
  })

  it('hands over email_verified: false as unverified, so the address never links', async () => {
    fake.account = 'mallory'
    const b = browser(bed.app)
    const { res } = await bed.signIn(b)
    expect(res.status).toBe(302)
    expect(bed.identities.at(-1)).toMatchObject({ sub: '104577618244385671921', email: 'bob@example.com', emailVerified: false })
    expect(userOf(await b.get('/auth/session'))?.id).toBe('u-google-104577618244385671921')
  })

  it('refuses an ID token signed with a key Google does not publish, before findOrCreate', async () => {
    fake.account = 'alice'
    fake.forgeWith = await createSigningKey('google-key-1')
    const seen = bed.identities.length
    try {
      const b = browser(bed.app)
      const { res } = await bed.signIn(b)
      expect(res.status).toBe(401)
      expect((res.body as { code: string }).code).toBe('ERR_OAUTH_ID_TOKEN_INVALID')
      expect(bed.identities).toHaveLength(seen)
      expect(b.cookie('__Host-sid')).toBeUndefined()
    } finally {
      fake.forgeWith = undefined
    }
  })

  it('points at Google itself, sends the secret in the body as Google documents, and fails at construction without a secret', () => {
    expect(google(client)).toEqual({ issuer: 'https://accounts.google.com', ...client, clientAuthentication: 'client_secret_post', scopes: ['openid', 'email', 'profile'] })
    expect(() => google({ clientId: client.clientId, clientSecret: undefined as unknown as string })).toThrow(/google\(\): options\.clientSecret/)
  })
})
