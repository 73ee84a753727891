import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launchBrowser, newDevice, screenshot } from './browser.js'
import { stepUpOnAdminAction } from './flows.js'
import { startDemo, type RunningDemo } from './next-process.js'

// apps/demo's step-up flow, unchanged, against this app's production build. It changes alice's
// and bob's second factors: this file runs an app of its own.
let demo: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []

async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

describe('the Next.js demo: second factors in a browser', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo('second-factors'), launchBrowser()])
  })
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)))
    await browser?.close()
    await demo?.stop()
  })

  it('step-up on the admin action: refused with …/mfa-required, the prompt takes a computed TOTP code, the action runs and bob’s factors are gone', () =>
    stepUpOnAdminAction({ demo, device, screenshot }), 150_000)
})
