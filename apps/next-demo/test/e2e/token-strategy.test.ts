import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launchBrowser } from './browser.js'
import { startDemo, type RunningDemo } from './next-process.js'
import { signInRefreshSignOut } from './flows.js'

const accessTokenSeconds = 4
let demo: RunningDemo
let browser: Browser

describe('the Next.js demo in a browser with AUTH_STRATEGY=token', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([
      startDemo('token', { AUTH_STRATEGY: 'token', ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds) }),
      launchBrowser(),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
  })

  it('signs in, refreshes the access cookie before it expires, and signs out', async () => {
    await signInRefreshSignOut(browser, demo, 'token', accessTokenSeconds)
  })
})
