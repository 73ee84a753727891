import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccountFlows } from './account-flows.js'
import { launchBrowser, newDevice, screenshot, signIn } from './browser.js'
import { startDemo, type RunningDemo } from './demo-process.js'

// One demo process for every account flow, in development mail mode (the outbox at /dev/outbox)
// but serving the client built once by the global setup (DEMO_CLIENT=prebuilt), not a watch build.
let demo: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []

async function device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser, userAgent)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

// The flows are shared with apps/next-demo (./account-flows.ts).
const flows = createAccountFlows({
  get demo() {
    return demo
  },
  get browser() {
    return browser
  },
  device,
  screenshot,
})

describe('account flows in a browser (development mail, session strategy)', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo('accounts', { NODE_ENV: 'development', DEMO_CLIENT: 'prebuilt' }), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
  })

  it('signs up, reads the mail in the /dev/outbox page, verifies from its link, and is signed in', () => flows.signUpAndVerify())

  it('forgot password → mail → reset: the other browser is signed out, the old password fails, the new one signs in', () => flows.forgotAndReset())

  it('changes the password in account settings: the other device is signed out, this one stays signed in', () => flows.changePassword())

  it('deletes a throw-away account: signed out, and the account no longer signs in', () => flows.deleteAccount())

  it("after the flows above, the demo's /metrics counts reset and verification started and completed", async () => {
    const { page } = await device()
    await signIn(page, demo.origin, 'alice@example.com', 'alice-password')
    const text = await page.evaluate(async () => (await fetch('/metrics')).text())
    const count = (flow: string, stage: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('acme_auth_account_flow_events') && line.includes(`flow="${flow}"`) && line.includes(`stage="${stage}"`))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
    // Four verified sign-ups (one through the pages), one reset requested and completed.
    expect(count('email_verification', 'started')).toBeGreaterThanOrEqual(4)
    expect(count('email_verification', 'completed')).toBeGreaterThanOrEqual(4)
    expect(count('password_reset', 'started')).toBeGreaterThanOrEqual(1)
    expect(count('password_reset', 'completed')).toBe(1)
    for (const line of text.split('\n').filter((l) => l.startsWith('acme_auth_'))) expect(line).not.toMatch(/@/)
  })
})
