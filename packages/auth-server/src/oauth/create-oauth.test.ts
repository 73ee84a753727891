import { describe, expect, it } from 'vitest'
import { createTestApp, origin } from '../../test/fixtures.js'
import { createOAuth } from './create-oauth.js'
import type { OAuthOptions } from './oauth-options.js'

const secret = 'oauth-test-secret-that-is-long-enough-0123456789'
const users = { findOrCreate: () => Promise.resolve(null) }

describe('createOAuth options', () => {
  const valid = (): OAuthOptions => ({
    providers: { corp: { issuer: 'https://login.example.com', clientId: 'app' } },
    users,
    secret,
    http: { origin },
  })

  it('accepts a valid configuration', async () => {
    const { auth } = await createTestApp()
    expect(() => createOAuth(auth, valid())).not.toThrow()
  })

  it.each<[string, (options: OAuthOptions) => unknown, RegExp]>([
    ['a short secret', (o) => ({ ...o, secret: 'short' }), /options\.secret/],
    ['no providers', (o) => ({ ...o, providers: {} }), /options\.providers must name at least one provider/],
    ['a bad provider name', (o) => ({ ...o, providers: { 'Bad Name': { issuer: 'https://x.example', clientId: 'a' } } }), /options\.providers/],
    ['a missing users hook', (o) => ({ ...o, users: {} }), /options\.users/],
    ['an error page on another origin', (o) => ({ ...o, http: { origin, errorPage: 'https://evil.example/' } }), /options\.http\.errorPage/],
    ['a bad origin', (o) => ({ ...o, http: { origin: 'app.example.com' } }), /options\.http\.origin/],
    ['plain http to a remote provider', (o) => ({ ...o, providers: { corp: { issuer: 'http://login.example.com', clientId: 'a', allowInsecureRequests: true } } }), /http:\/\//],
    [
      'a plain http resource of an OAuth 2.0 provider',
      (o) => ({
        ...o,
        providers: { gh: { clientId: 'a', endpoints: { authorization: 'https://gh.example/a', token: 'https://gh.example/t', userinfo: 'https://api.gh.example/user', resources: { emails: 'http://api.gh.example/user/emails' } } } },
      }),
      /http:\/\//,
    ],
    ['plain http to loopback without opting in', (o) => ({ ...o, providers: { corp: { issuer: 'http://127.0.0.1:5000', clientId: 'a' } } }), /http:\/\//],
  ])('throws a TypeError naming the option for %s', async (_name, change, message) => {
    const { auth } = await createTestApp()
    expect(() => createOAuth(auth, change(valid()) as OAuthOptions)).toThrow(TypeError)
    expect(() => createOAuth(auth, change(valid()) as OAuthOptions)).toThrow(message)
  })

  it('refuses a token source for a provider it does not know', async () => {
    const { auth } = await createTestApp()
    expect(() => createOAuth(auth, valid()).tokenSource('nope')).toThrow(/no provider named nope/)
  })
})
