import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MemorySecondFactorStore } from '@acme/auth-core'
import { createTestClock, createTotpCode } from '@acme/auth-testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemErrorHandler } from '../index.js'
import { browser } from '../../test/fixtures.js'
import { cookiesSet, createMfaApp, enrolledUser, type Browser } from '../../test/mfa-helpers.js'
import { signInWithProvider, startOAuthTestBed, type OAuthTestBed } from '../../test/oauth-test-bed.js'

const src = fileURLToPath(new URL('..', import.meta.url))
const identityCookies = ['__Host-sid', '__Host-access', '__Secure-refresh']

/** What a sign-in path must show for a user with a second factor: no session, only the pending cookie. */
async function expectGated(b: Browser, res: { headers: Record<string, unknown> }) {
  const set = cookiesSet(res)
  expect(set.filter((name) => identityCookies.includes(name))).toEqual([])
  expect(set).toContain('__Host-mfa')
  expect((await b.get('/auth/session')).body).toEqual({ user: null })
}

describe('one gate for every first factor: each sign-in path of the package, for a user with TOTP', () => {
  const clock = createTestClock()
  let bed: OAuthTestBed
  let secret: string
  beforeAll(async () => {
    bed = await startOAuthTestBed({ testApp: { clock, secondFactors: { store: new MemorySecondFactorStore(), clock } } })
    ;({ secret } = await enrolledUser(bed.app, clock))
    // An app's own sign-in flow (a magic link, say) through auth.signIn().
    bed.extend((app) => {
      app.post('/custom-sign-in', async (req, res) => {
        const user = bed.testApp.users.get('alice@example.com')!
        res.json(await bed.testApp.auth.signIn(req, res, user, { firstFactor: { method: 'email_link' } }))
      })
      app.post('/legacy-sign-in', async (req, res) => {
        const user = bed.testApp.users.get('alice@example.com')!
        res.json(await bed.testApp.auth.signIn(req, res, user, { authLevel: 'mfa' }))
      })
      app.use(problemErrorHandler())
    })
  })
  afterAll(() => bed.stop())

  it('POST /auth/login (password): 200 { mfaRequired, methods }', async () => {
    const b = browser(bed.app)
    const res = await b.login('alice@example.com', 'alice-password')
    expect(res.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] })
    await expectGated(b, res)
  })

  it('OAuth/OIDC callback: 302 to the challenge page with the returnTo, no session; the code completes it as fed + otp', async () => {
    const b = browser(bed.app)
    await b.fetchCsrf()
    const { res } = await signInWithProvider(bed, b, 'demo', { account: 'alice-sub' }, '/notes?page=2')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`/mfa?returnTo=${encodeURIComponent('/notes?page=2')}`)
    await expectGated(b, res)
    // The page the redirect lands on learns of the pending sign-in from the server (the cookie is HttpOnly).
    expect((await b.get('/auth/mfa/pending')).body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery'] })
    clock.advance(30_000)
    const verified = await b.post('/auth/mfa/verify', { method: 'totp', code: createTotpCode(secret, clock) })
    expect(verified.status).toBe(200)
    expect((await b.get('/auth/session')).body).toMatchObject({ user: { id: 'u-alice' }, session: { authLevel: 'mfa', amr: ['fed', 'otp', 'mfa'] } })
    expect((await b.get('/auth/mfa/pending')).body).toEqual({ mfaRequired: false, methods: [] })
  })

  it('auth.signIn() from an app route (core.signIn): { mfaRequired: true } and no session', async () => {
    const b = browser(bed.app)
    await b.fetchCsrf()
    const res = await b.post('/custom-sign-in')
    expect(res.body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery'], challengePage: '/mfa' })
    await expectGated(b, res)
  })

  it("an older caller's authLevel (even 'mfa') cannot claim its way past the gate", async () => {
    const b = browser(bed.app)
    await b.fetchCsrf()
    const res = await b.post('/legacy-sign-in')
    expect(res.body).toMatchObject({ mfaRequired: true })
    await expectGated(b, res)
  })

  it('a user without a second factor signs in on every path as before', async () => {
    const b = browser(bed.app)
    const res = await b.login('bob@example.com', 'bob-password')
    expect(res.body).toMatchObject({ user: { id: 'u-bob' } })
    expect((await b.get('/auth/session')).body).toMatchObject({ session: { authLevel: 'password', amr: ['pwd'] } })
  })
})

describe('no code path creates a session around the gate', () => {
  /**
   * Every call that can create a session, and the files allowed to make it: the strategies (the
   * machinery), the gate itself, native sign-in (called only after `decideFirstFactor`), and
   * `issueSession` (no request, no first factor: tests and operator tools, documented). A new
   * sign-in path calling any of these elsewhere fails here: route it through `core.signIn()`.
   */
  const sessionMakers = /\b(?:strategy\.signIn|strategy\.issue|this\.issue|issuePair|nativeSignIn|createSessionFor|sessions\.create)\(/
  const allowed = new Map([
    ['strategies/session-strategy.ts', 'the session strategy'],
    ['strategies/token-strategy.ts', 'the token strategy'],
    ['core/sign-in-gate.ts', 'startSession, after the gate or a verified second factor'],
    ['routes/token-routes.ts', 'nativeSignIn itself'],
    ['routes/login-route.ts', 'nativeSignIn after decideFirstFactor'],
    ['core/create-auth-core.ts', 'issueSession (no request: tests and tools)'],
  ])
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : []
    })

  it('finds session-creating calls only in the allowed files', () => {
    const offenders = files(src).flatMap((path) => {
      const file = relative(src, path).replaceAll('\\', '/')
      return readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => (sessionMakers.test(line) && !line.trim().startsWith('*') && !allowed.has(file) ? [`${file}:${index + 1}`] : []))
    })
    expect(offenders).toEqual([])
  })

  it('the login route asks the gate before a native sign-in', () => {
    const login = readFileSync(join(src, 'routes/login-route.ts'), 'utf8')
    expect(login.indexOf('decideFirstFactor(')).toBeGreaterThan(0)
    expect(login.indexOf('decideFirstFactor(')).toBeLessThan(login.indexOf('nativeSignIn(ctx'))
  })

  it('a native client of a user with a factor gets 403 …/mfa-native-unsupported and no tokens', async () => {
    const clock = createTestClock()
    const { app } = await createMfaApp({ clock, nativeClients: true })
    await enrolledUser(app, clock)
    const b = browser(app)
    await b.fetchCsrf()
    const res = await b.post('/auth/login', { email: 'alice@example.com', password: 'alice-password', client: 'native' })
    expect(res.status).toBe(403)
    expect((res.body as { type: string }).type).toMatch(/\/mfa-native-unsupported$/)
    expect(JSON.stringify(res.body)).not.toMatch(/access_token/)
  })
})
