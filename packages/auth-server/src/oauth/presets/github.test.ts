import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTo } from '../../../test/fakes/fake-server.js'
import { githubOrigins, startGitHubFake, type GitHubFake } from '../../../test/fakes/github-fake.js'
import { browser, errorPage, origin, startPresetTestBed, userOf, type PresetTestBed } from '../../../test/preset-test-bed.js'
import { github, githubProfile } from './github.js'

const client = { clientId: 'Ov23liAbCdEfGhIjKlMn', clientSecret: '0123456789abcdef0123456789abcdef01234567' }

describe('github() against a loopback GitHub', () => {
  let fake: GitHubFake
  let bed: PresetTestBed
  beforeAll(async () => {
    fake = await startGitHubFake(client, {
      // No public email on the profile: only /user/emails knows her address.
      alice: {
        id: 583231,
        login: 'alice-l',
        name: 'Alice Liddell',
        email: null,
        emails: [
          { email: 'alice@old-job.example', primary: false, verified: true, visibility: null },
          { email: 'Alice@Example.com', primary: true, verified: true, visibility: 'private' },
        ],
      },
      // Claims bob's address as primary without verifying it (a verified address exists, but is not primary).
      mallory: {
        id: 9919,
        login: 'mallory',
        name: null,
        email: 'bob@example.com',
        emails: [
          { email: 'bob@example.com', primary: true, verified: false, visibility: 'public' },
          { email: 'mallory@example.net', primary: false, verified: true, visibility: null },
        ],
      },
    })
    bed = await startPresetTestBed('github', github({ ...client, fetch: routeTo(fake, githubOrigins) }), fake)
  })
  afterAll(() => fake.close())

  it('signs in through GitHub: the numeric id as sub, the verified PRIMARY address from /user/emails', async () => {
    fake.account = 'alice'
    fake.emailsStatus = undefined
    const b = browser(bed.app)
    const { authorize, res } = await bed.signIn(b)
    expect(authorize.origin + authorize.pathname).toBe('https://github.com/login/oauth/authorize')
    expect(authorize.searchParams.get('client_id')).toBe(client.clientId)
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${origin}/auth/oauth/github/callback`)
    expect(authorize.searchParams.get('scope')).toBe('read:user user:email')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/notes')
    const identity = bed.identities.at(-1)!
    expect(identity).toMatchObject({ provider: 'github', issuer: 'https://github.com', sub: '583231', email: 'alice@example.com', emailVerified: true, name: 'Alice Liddell' })
    expect(identity.claims).toMatchObject({ login: 'alice-l', id: 583231 })
    expect(userOf(await b.get('/auth/session'))).toMatchObject({ id: 'u-alice' })
    expect(fake.log).toEqual(
      expect.arrayContaining(['POST https://github.com/login/oauth/access_token', 'GET https://api.github.com/user', 'GET https://api.github.com/user/emails']),
    )
  })

  it('hands over an unverified primary address as unverified (never a verified secondary one), and the login when there is no name', async () => {
    fake.account = 'mallory'
    fake.emailsStatus = undefined
    const b = browser(bed.app)
    const { res } = await bed.signIn(b)
    expect(res.status).toBe(302)
    expect(bed.identities.at(-1)).toMatchObject({ sub: '9919', email: 'bob@example.com', emailVerified: false, name: 'mallory' })
    expect(userOf(await b.get('/auth/session'))?.id).toBe('u-github-9919')
  })

  it('fails the sign-in onto the error page when /user/emails is refused (a GitHub App without the email permission)', async () => {
    fake.account = 'alice'
    fake.emailsStatus = 403
    try {
      const seen = bed.identities.length
      const b = browser(bed.app)
      const { res } = await bed.signIn(b)
      expect(res.status).toBe(302)
      expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_PROVIDER_ERROR`)
      expect(bed.identities).toHaveLength(seen)
      expect(b.cookie('__Host-sid')).toBeUndefined()
    } finally {
      fake.emailsStatus = undefined
    }
  })

  it('fails the sign-in onto the error page, not a 500, when /user answers a page instead of JSON', async () => {
    fake.account = 'alice'
    fake.userAnswer = { text: '<!DOCTYPE html><title>Unicorn! · GitHub</title>', headers: { 'content-type': 'text/html; charset=utf-8' } }
    try {
      const b = browser(bed.app)
      const { res } = await bed.signIn(b)
      expect(res.status).toBe(302)
      expect(res.headers.location).toBe(`${errorPage}?error=ERR_OAUTH_PROVIDER_ERROR`)
    } finally {
      fake.userAnswer = undefined
    }
  })

  it("takes GitHub's HTTP 200 error answer to a bad code as a rejected code, never a 500", async () => {
    fake.account = 'alice'
    const b = browser(bed.app)
    const start = await b.get('/auth/oauth/github')
    const state = new URL(start.headers.location as string).searchParams.get('state')!
    const res = await b.get(`/auth/oauth/github/callback?code=not-a-code-github-issued&state=${state}`)
    expect(res.status).toBe(401)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((res.body as { code: string }).code).toBe('ERR_OAUTH_CODE_REJECTED')
    expect(b.cookie('__Host-sid')).toBeUndefined()
  })

  it('points at github.com and api.github.com, or at a GitHub Enterprise Server', () => {
    expect(github(client).endpoints).toEqual({
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      userinfo: 'https://api.github.com/user',
      issuer: 'https://github.com',
      resources: { emails: 'https://api.github.com/user/emails?per_page=100' },
    })
    expect(github({ ...client, baseUrl: 'https://github.example.com/' }).endpoints).toMatchObject({
      token: 'https://github.example.com/login/oauth/access_token',
      userinfo: 'https://github.example.com/api/v3/user',
      issuer: 'https://github.example.com',
    })
    expect(() => github({ clientId: '', clientSecret: 'x' })).toThrow(/github\(\): options\.clientId/)
  })

  it('maps no subject for a profile without a numeric id, and no verified address without a primary one', () => {
    expect(githubProfile({ login: 'x', id: '42' }, {}).sub).toBe('')
    expect(githubProfile({ id: 1, email: 'a@example.com' }, { emails: [{ email: 'a@example.com', primary: false, verified: true }] })).toMatchObject({ email: 'a@example.com', emailVerified: false })
  })
})
