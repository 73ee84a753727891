import { createNativeClient } from '@acme/demo/native/native-client'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newDevice, screenshot, signIn } from './browser.js'
import { alice, bob, createBrowserFlows, expectLifecycleCounters } from './flows.js'
import { resultsDir, startDemo, type RunningDemo } from './next-process.js'

const accessTokenSeconds = 4

let demo: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []

async function device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser, userAgent)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

const flows = createBrowserFlows({
  get demo() {
    return demo
  },
  device,
  screenshot,
  resultsDir,
  accessTokenSeconds,
})

describe('the Next.js demo in a browser (session strategy, memory stores)', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo('session', { ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds) }), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
  })

  it('signs in with a password; the session cookie is HttpOnly, Secure and SameSite=Lax in the browser', () => flows.passwordSignIn())

  it('renders the signed-in page on the server: the first HTML already holds the user, with strict security headers', () => flows.serverRenderedPage())

  it('reads and writes notes through the BFF; the upstream sees only a Bearer token with ids and roles', () => flows.notesThroughBff())

  it("refuses bob alice's note (403 from the upstream), to read and to edit", () => flows.bobRefusedAlicesNote())

  it('hides the admin page from bob and refuses it to him; alice sees users, keys and audit events and rotates keys', () => flows.adminPage())

  it("revokes another device's session: that browser is signed out on its next request", () => flows.revokeAnotherDevice())

  it('signs out in one tab and the other tab of the same browser follows without a reload', () => flows.crossTabSignOut())

  it('signs out everywhere: every other device of the user is signed out too', () => flows.signOutEverywhere())

  it('replaces an expired access token without the user noticing', () => flows.expiredAccessTokenReplaced())

  it('signs in through the demo OpenID Provider', () => flows.oidcSignIn())

  it("serves native clients the same surface: a token pair, the upstream's /me with the Bearer token, revoke", async () => {
    const client = createNativeClient({ origin: demo.origin, upstream: `http://127.0.0.1:${demo.upstreamPort}` })
    await client.signIn(alice.email, alice.password)
    expect(await client.me()).toMatchObject({ sub: 'u-alice', aud: 'acme-demo-api', roles: ['admin'] })
    await client.refresh()
    const refreshToken = client.tokens!.refresh_token
    await client.signOut()
    const after = await fetch(`${demo.origin}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    })
    expect(after.status).toBe(401)
    expect(after.headers.get('content-type')).toContain('application/problem+json')
  })

  it("after all of the above, /metrics shows each lifecycle counter these flows exercised (admins only)", async () => {
    const b = await device()
    await signIn(b.page, demo.origin, bob.email, bob.password)
    expect(await b.page.evaluate(async () => (await fetch('/metrics')).status)).toBe(403)
    const anonymous = await device()
    await anonymous.page.goto(`${demo.origin}/login`)
    expect(await anonymous.page.evaluate(async () => (await fetch('/metrics')).status)).toBe(401)

    const a = await device()
    await signIn(a.page, demo.origin, alice.email, alice.password)
    await expectLifecycleCounters(a.page)
  })
})
