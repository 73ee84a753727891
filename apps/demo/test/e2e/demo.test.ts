import { startTestSmtpServer, type TestSmtpServer } from '@acme/auth-testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoTokensInPage, launchBrowser, newDevice, screenshot, signIn } from './browser.js'
import { resultsDir, startDemo, type RunningDemo } from './demo-process.js'
import { alice, bob, createBrowserFlows } from './browser-flows.js'
import { expectLifecycleCounters } from './metrics-checks.js'

const accessTokenSeconds = 4

let demo: RunningDemo
let browser: Browser
/** Production sends account mail through SMTP_URL: here a real SMTP server on loopback. */
let smtp: TestSmtpServer
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
  exactCacheControl: true,
})

describe('the demo in a browser (session strategy, memory stores)', () => {
  beforeAll(async () => {
    smtp = await startTestSmtpServer()
    ;[demo, browser] = await Promise.all([
      startDemo('session', { ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds), SMTP_URL: smtp.url, MAIL_FROM: 'Acme demo <auth@demo.test>' }),
      launchBrowser(),
    ])
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
    await smtp?.stop()
  })

  it('in production, mails through SMTP_URL ("forgot password" reaches the SMTP server) and has no /dev/outbox', async () => {
    const { context, page } = await device()
    await page.goto(`${demo.origin}/forgot-password`)
    await page.waitForSelector('button[type=submit]:not([disabled])', { timeout: 30_000 })
    await page.fill('input[name=email]', bob.email)
    await page.click('button[type=submit]')
    await page.getByTestId('reset-sent').waitFor()
    const mail = await smtp.waitFor(bob.email, { timeoutMs: 10_000 })
    expect(mail.from).toBe('auth@demo.test')
    expect(mail.links).toEqual([expect.stringMatching(new RegExp(`^${demo.origin}/reset-password\\?token=`)) as unknown as string])
    expect((await context.request.get(`${demo.origin}/dev/outbox`, { headers: { accept: 'application/json' } })).status()).toBe(404)
    expect((await page.goto(`${demo.origin}/dev/outbox`))!.status()).toBe(404)
    await expectNoTokensInPage(page)
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

  it("after all of the above, the demo's /metrics shows each lifecycle counter these flows exercised", async () => {
    const a = await device()
    await signIn(a.page, demo.origin, alice.email, alice.password)
    // Each lifecycle counter these flows exercised, and no personal data in any label (shared with apps/next-demo).
    await expectLifecycleCounters(a.page)
  })
})
