// Test helper: an app signing in with ONE provider preset (pointed at a loopback fake through its
// `fetch` option), recording the identities its `users.findOrCreate` receives.
import express, { type Express } from 'express'
import { createOAuth, problemErrorHandler, type DirectoryUser, type OAuthIdentity, type OAuthProviderOptions } from '../src/index.js'
import { visit, type FakeServer } from './fakes/fake-server.js'
import { browser, createTestApp, origin, type TestApp } from './fixtures.js'

export interface PresetTestBed {
  app: Express
  testApp: TestApp
  identities: OAuthIdentity[]
  /** Start → the fake's authorize endpoint → callback. */
  signIn(b: ReturnType<typeof browser>): Promise<{ authorize: URL; res: Awaited<ReturnType<ReturnType<typeof browser>['get']>> }>
}

export const presetSecret = 'preset-test-secret-that-is-long-enough-0123456789'
export const errorPage = '/sign-in-failed'

export async function startPresetTestBed(name: string, provider: OAuthProviderOptions, fake: FakeServer): Promise<PresetTestBed> {
  const testApp = await createTestApp()
  const identities: OAuthIdentity[] = []
  const links = new Map<string, DirectoryUser>()
  const oauth = createOAuth(testApp.auth, {
    providers: { [name]: provider },
    users: {
      // As the README's hook: (issuer, sub) first; link by email only when the provider verified it.
      findOrCreate(identity) {
        identities.push(identity)
        const key = `${identity.issuer}|${identity.sub}`
        const linked = links.get(key)
        if (linked) return Promise.resolve(linked)
        const existing = identity.email !== null && identity.emailVerified ? testApp.users.get(identity.email) : undefined
        const user = existing ?? { id: `u-${name}-${identity.sub}`, email: identity.email ?? '', name: identity.name ?? '', roles: ['member'], passwordHash: null }
        if (!existing) testApp.users.set(`${identity.sub}@users.invalid`, user)
        links.set(key, user)
        return Promise.resolve(user)
      },
    },
    secret: presetSecret,
    http: { origin, errorPage },
  })
  const app = express()
  app.use(testApp.auth.middleware())
  app.use('/auth/oauth', oauth.router())
  app.use('/auth', testApp.auth.router())
  app.use(problemErrorHandler())
  return {
    app,
    testApp,
    identities,
    async signIn(b) {
      const start = await b.get(`/auth/oauth/${name}?returnTo=/notes`)
      if (start.status !== 302) throw new Error(`start answered ${start.status}: ${JSON.stringify(start.body)}`)
      const authorize = new URL(start.headers.location as string)
      const answer = await visit(fake, authorize.href)
      const location = answer.headers.get('location')
      if (answer.status !== 302 || location === null) throw new Error(`the fake's authorize answered ${answer.status}: ${await answer.text()}`)
      const callback = new URL(location)
      if (callback.origin !== origin) throw new Error(`the fake redirected to ${callback.origin}`)
      const res = await b.get(`${callback.pathname}${callback.search}`)
      return { authorize, res }
    },
  }
}

export { browser, origin }

/** The `user` of a `GET /auth/session` answer. */
export const userOf = (res: { body: unknown }) => (res.body as { user: { id: string; email: string; name: string } | null }).user
