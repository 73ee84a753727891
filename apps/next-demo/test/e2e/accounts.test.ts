import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccountFlows } from '../../../demo/test/e2e/account-flows.js'
import { launchBrowser, newDevice, screenshot } from './browser.js'
import { startDemo, type RunningDemo } from './next-process.js'

// apps/demo's account flows (sign-up and verification through /dev/outbox, forgot and reset,
// change password, delete the account), unchanged, against this app's one production build
// with the outbox kept (NEXT_DEMO_OUTBOX=1).
let demo: RunningDemo
let production: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []

async function device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser, userAgent)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

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

describe('the Next.js demo: account flows in a browser (the outbox kept)', () => {
  beforeAll(async () => {
    ;[demo, production, browser] = await Promise.all([startDemo('accounts', { NEXT_DEMO_OUTBOX: '1' }), startDemo('accounts-production'), launchBrowser()])
  })
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)))
    await browser?.close()
    await Promise.all([demo?.stop(), production?.stop()])
  })

  it('signs up, reads the mail in the /dev/outbox page, verifies from its link, and is signed in', () => flows.signUpAndVerify())

  it('forgot password → mail → reset: the other browser is signed out, the old password fails, the new one signs in', () => flows.forgotAndReset())

  it('changes the password in account settings: the other device is signed out, this one stays signed in', () => flows.changePassword())

  it('deletes a throw-away account: signed out, and the account no longer signs in', () => flows.deleteAccount())

  it('/dev/outbox is JSON for a client that asks for it, and 404 (page and JSON) in production', async () => {
    const json = await fetch(`http://127.0.0.1:${demo.port}/dev/outbox`, { headers: { accept: 'application/json' } })
    expect(json.status).toBe(200)
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Array.isArray(await json.json())).toBe(true)
    for (const accept of ['application/json', 'text/html']) {
      expect((await fetch(`http://127.0.0.1:${production.port}/dev/outbox`, { headers: { accept } })).status).toBe(404)
    }
    // Production without SMTP_URL sends no mail: the routes that mail do not exist.
    const csrf = await fetch(`http://127.0.0.1:${production.port}/auth/csrf`)
    const token = ((await csrf.json()) as { csrfToken: string }).csrfToken
    const cookie = csrf.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
    const forgot = await fetch(`http://127.0.0.1:${production.port}/auth/password/forgot`, {
      method: 'POST',
      headers: { origin: production.origin, 'x-csrf-token': token, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com' }),
    })
    expect(forgot.status).toBe(404)
  })
})
