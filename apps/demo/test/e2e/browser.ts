import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { resultsDir } from './demo-process.js'

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, driven by playwright-core (no downloaded browsers). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  })
}

/** A fresh browser profile (a "device"); every wait in it is bounded. */
export async function newDevice(browser: Browser, userAgent?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ ...(userAgent ? { userAgent } : {}), viewport: { width: 1200, height: 800 } })
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(15_000)
  return context
}

/** Signs in through the login page with a password and waits for the dashboard. */
export async function signIn(page: Page, origin: string, email: string, password: string): Promise<void> {
  await page.goto(`${origin}/login`)
  // The form is enabled once React has hydrated; on a loaded 2-core CI machine that can take a few seconds.
  await page.waitForSelector('button[type=submit]:not([disabled])', { timeout: 30_000 })
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForURL(`${origin}/`)
  await page.getByTestId('greeting').waitFor()
}

/** Saves a full-page screenshot as a test artifact (under `results`: this app's, or apps/next-demo's). */
export async function screenshot(page: Page, name: string, results: string = resultsDir): Promise<void> {
  const dir = join(results, 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

const secretCookies = new Set(['__Host-sid', '__Host-access', '__Secure-refresh'])

/**
 * Asserted in the page: Web Storage is empty, and no session, access or refresh token is visible
 * to scripts (neither in `document.cookie` nor anywhere in the DOM, the embedded state included).
 */
export async function expectNoTokensInPage(page: Page): Promise<void> {
  const secrets = (await page.context().cookies()).filter((cookie) => secretCookies.has(cookie.name)).map((cookie) => cookie.value)
  const seen = await page.evaluate((values) => {
    const html = document.documentElement.outerHTML
    return {
      localStorage: window.localStorage.length,
      sessionStorage: window.sessionStorage.length,
      cookieNames: document.cookie.split(';').map((pair) => pair.trim().split('=')[0]).filter(Boolean),
      leaked: values.filter((value) => document.cookie.includes(value) || html.includes(value)).length,
      jwtInPage: /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/.test(html + document.cookie),
    }
  }, secrets)
  expect(seen.localStorage).toBe(0)
  expect(seen.sessionStorage).toBe(0)
  expect(seen.cookieNames.filter((name) => name !== '__Host-csrf')).toEqual([])
  expect(seen.leaked).toBe(0)
  expect(seen.jwtInPage).toBe(false)
}
