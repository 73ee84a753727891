import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTo } from '../../../test/fakes/fake-server.js'
import { entraOrigins, startEntraFake, type EntraFake } from '../../../test/fakes/entra-fake.js'
import { browser, origin, startPresetTestBed, userOf, type PresetTestBed } from '../../../test/preset-test-bed.js'
import { microsoft, microsoftProfile } from './microsoft.js'

const client = { clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'Xyz8Q~test.secret~with_specials-0123456789' }
const contoso = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const fabrikam = 'b9411234-09af-49c2-b0c3-653adc1f376e'

describe('microsoft() against a loopback Entra ID', () => {
  let fake: EntraFake
  let bed: PresetTestBed
  beforeAll(async () => {
    fake = await startEntraFake(client, {
      // A member of contoso, with the optional claims email and xms_edov configured.
      alice: { tid: contoso, oid: '00000000-0000-0000-66f3-3332eca7ea81', sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', name: 'Alice Liddell', preferred_username: 'alice@contoso.example', email: 'Alice@Example.com', xms_edov: true },
      // Another tenant's user whose admin set bob's address: no xms_edov, so not proof of the mailbox.
      mallory: { tid: fabrikam, oid: '11111111-0000-0000-66f3-3332eca7ea81', sub: 'BBBBBBBBBBBBBBBBBBBBBIkzqFVrSaSaFHy782bbtaQ', name: 'Mallory', preferred_username: 'mallory@fabrikam.example', email: 'bob@example.com' },
      // A token naming contoso as its issuer while its tid says fabrikam.
      forged: { tid: fabrikam, oid: '22222222-0000-0000-66f3-3332eca7ea81', sub: 'CCCCCCCCCCCCCCCCCCCCCIkzqFVrSaSaFHy782bbtaQ', name: 'Forged', preferred_username: 'x@fabrikam.example', email: 'alice@example.com', xms_edov: true, issTenant: contoso },
    })
    bed = await startPresetTestBed('microsoft', microsoft({ ...client, fetch: routeTo(fake, entraOrigins) }), fake)
  })
  afterAll(() => fake.close())

  it("signs in through the multi-tenant endpoint: the {tenantid} issuer filled with the token's tid, email verified by xms_edov", async () => {
    fake.account = 'alice'
    const b = browser(bed.app)
    const { authorize, res } = await bed.signIn(b)
    expect(authorize.origin + authorize.pathname).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize')
    expect(authorize.searchParams.get('client_id')).toBe(client.clientId)
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${origin}/auth/oauth/microsoft/callback`)
    expect(authorize.searchParams.get('scope')).toBe('openid email profile')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes')
    const identity = bed.identities.at(-1)!
    expect(identity).toMatchObject({
      provider: 'microsoft',
      issuer: `https://login.microsoftonline.com/${contoso}/v2.0`,
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      email: 'alice@example.com',
      emailVerified: true,
      name: 'Alice Liddell',
    })
    expect(identity.claims).toMatchObject({ tid: contoso, oid: '00000000-0000-0000-66f3-3332eca7ea81' })
    expect(userOf(await b.get('/auth/session'))).toMatchObject({ id: 'u-alice' })
    expect(fake.log).toEqual(
      expect.arrayContaining([
        'GET https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
        'POST https://login.microsoftonline.com/common/oauth2/v2.0/token',
        'GET https://login.microsoftonline.com/common/discovery/v2.0/keys',
      ]),
    )
    // The ID token carries the claims; Graph's userinfo is never asked (routeTo would refuse the host).
    expect(fake.log.some((line) => line.includes('graph.microsoft.com'))).toBe(false)
  })

  it("hands over an address without xms_edov as unverified, under the user's own tenant", async () => {
    fake.account = 'mallory'
    const b = browser(bed.app)
    const { res } = await bed.signIn(b)
    expect(res.status).toBe(302)
    expect(bed.identities.at(-1)).toMatchObject({ issuer: `https://login.microsoftonline.com/${fabrikam}/v2.0`, email: 'bob@example.com', emailVerified: false, name: 'Mallory' })
    expect(userOf(await b.get('/auth/session'))?.id).not.toBe('u-bob')
  })

  it("refuses a token whose iss names another tenant than its tid, before findOrCreate", async () => {
    fake.account = 'forged'
    const seen = bed.identities.length
    const b = browser(bed.app)
    const { res } = await bed.signIn(b)
    expect(res.status).toBe(401)
    expect((res.body as { code: string }).code).toBe('ERR_OAUTH_ID_TOKEN_INVALID')
    expect(bed.identities).toHaveLength(seen)
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('builds the issuer of a tenant, and refuses a tenant that is not an id or a domain', () => {
    expect(microsoft(client)).toMatchObject({ issuer: 'https://login.microsoftonline.com/common/v2.0', clientAuthentication: 'client_secret_post', userinfo: false })
    expect(microsoft({ ...client, tenant: contoso }).issuer).toBe(`https://login.microsoftonline.com/${contoso}/v2.0`)
    expect(microsoft({ ...client, tenant: 'contoso.onmicrosoft.com' }).issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0')
    expect(() => microsoft({ ...client, tenant: 'common/../evil' })).toThrow(/microsoft\(\): options\.tenant/)
  })

  it('counts only a boolean xms_edov or email_verified as verified', () => {
    expect(microsoftProfile({ email: 'a@example.com', xms_edov: 'true' }).emailVerified).toBe(false)
    expect(microsoftProfile({ email: 'a@example.com', email_verified: true }).emailVerified).toBe(true)
  })
})

describe('microsoft() with one tenant', () => {
  it("signs that tenant's users in under its own issuer", async () => {
    const fake = await startEntraFake(client, {
      alice: { tid: contoso, oid: '00000000-0000-0000-66f3-3332eca7ea81', sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', name: 'Alice Liddell', preferred_username: 'alice@contoso.example', email: 'alice@example.com', xms_edov: true },
    })
    try {
      const bed = await startPresetTestBed('entra', microsoft({ ...client, tenant: contoso, fetch: routeTo(fake, entraOrigins) }), fake)
      const { authorize, res } = await bed.signIn(browser(bed.app))
      expect(authorize.pathname).toBe(`/${contoso}/oauth2/v2.0/authorize`)
      expect(res.status).toBe(302)
      expect(bed.identities.at(-1)).toMatchObject({ issuer: `https://login.microsoftonline.com/${contoso}/v2.0`, emailVerified: true })
    } finally {
      await fake.close()
    }
  })
})
