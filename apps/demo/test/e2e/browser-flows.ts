import type { BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { expectNoTokensInPage, signIn } from './browser.js'
import { expectHealthPanel } from './metrics-checks.js'

/** What the browser flows need of the app under test (apps/demo or apps/next-demo) and its test file. */
export interface BrowserFlowTarget {
  readonly demo: { origin: string; port: number }
  /** A new browser context (closed by the test file) and a page in it. */
  device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }>
  screenshot(page: Page, name: string): Promise<void>
  /** Where the app's test results (screenshots, health panel dumps) go. */
  readonly resultsDir: string
  /** The access-token lifetime the app was started with (`ACCESS_TOKEN_TTL_SECONDS`). */
  readonly accessTokenSeconds: number
  /** `Cache-Control` is exactly `no-store` (apps/demo); Next.js adds its own directives beside it. */
  readonly exactCacheControl?: boolean
}

export const alice = { email: 'alice@example.com', password: 'alice-password', name: 'Alice Martin' }
export const bob = { email: 'bob@example.com', password: 'bob-password', name: 'Bob Lee' }

/** What the upstream saw in the Bearer token of this request (through the BFF). */
const claimsSeen = (page: Page) =>
  page.evaluate(async () => {
    const answer = await fetch('/api/me')
    return { status: answer.status, claims: answer.ok ? ((await answer.json()) as Record<string, unknown>) : null }
  })

/**
 * The demo's browser flows on the session strategy — sign-in and cookie flags, the server-rendered
 * page, notes through the BFF, bob refused alice's note, the admin page, revoking a device, the
 * other tab following a sign-out, sign-out everywhere, an expired access token replaced, OIDC
 * sign-in — shared by apps/demo and apps/next-demo, which serve the same surface. `target` is read
 * when a flow runs (the app starts in the test file's `beforeAll`); each test file names the tests.
 */
export function createBrowserFlows(target: BrowserFlowTarget) {
  return {
    /** signs in with a password; the session cookie is HttpOnly, Secure and SameSite=Lax in the browser */
    async passwordSignIn() {
      const { context, page } = await target.device()
      await page.goto(`${target.demo.origin}/login`)
      await target.screenshot(page, 'login')
      await signIn(page, target.demo.origin, alice.email, alice.password)
      await page.getByTestId('notes').locator('li').first().waitFor()
      await target.screenshot(page, 'dashboard')

      const cookies = await context.cookies()
      const sid = cookies.find((cookie) => cookie.name === '__Host-sid')!
      expect(sid).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
      expect(sid.expires).toBeGreaterThan(Date.now() / 1000)
      const csrf = cookies.find((cookie) => cookie.name === '__Host-csrf')!
      expect(csrf).toMatchObject({ httpOnly: false, secure: true, sameSite: 'Lax' })
      await expectNoTokensInPage(page)
    },

    /** renders the signed-in page on the server: the first HTML already holds the user, with strict security headers */
    async serverRenderedPage() {
      const { context, page } = await target.device()
      await signIn(page, target.demo.origin, alice.email, alice.password)
      const first = await context.request.get(`${target.demo.origin}/`, { maxRedirects: 0 })
      expect(first.status()).toBe(200)
      const html = await first.text()
      expect(html).toContain(`data-testid="user-name">${alice.name}<`)
      expect(html).toContain('Hello, Alice')
      const headers = first.headers()
      const csp = headers['content-security-policy']!
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).toContain("frame-ancestors 'none'")
      expect(headers['x-content-type-options']).toBe('nosniff')
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
      if (target.exactCacheControl) expect(headers['cache-control']).toBe('no-store')
      else expect(headers['cache-control']).toContain('no-store')
      // Plain HTTP: no HSTS (browsers ignore it there, and it would stick to localhost).
      expect(headers['strict-transport-security']).toBeUndefined()
      // Every script of the page carries this response's nonce.
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
      for (const tag of html.match(/<script[^>]*>/g)!) expect(tag).toContain(`nonce="${nonce}"`)
      await expectNoTokensInPage(page)
    },

    /** reads and writes notes through the BFF; the upstream sees only a Bearer token with ids and roles */
    async notesThroughBff() {
      const { page } = await target.device()
      await signIn(page, target.demo.origin, alice.email, alice.password)
      await page.fill('input[name=title]', 'Written in the browser test')
      await page.fill('textarea[name=body]', 'through /api → upstream')
      await page.click('text=Add note')
      await page.getByText('Written in the browser test').waitFor()

      const seen = await claimsSeen(page)
      expect(seen.status).toBe(200)
      expect(seen.claims).toMatchObject({ sub: 'u-alice', roles: ['admin'], aud: 'acme-demo-api', iss: target.demo.origin })
      expect(JSON.stringify(seen.claims)).not.toContain('alice@example.com')
      await expectNoTokensInPage(page)
    },

    /** refuses bob alice's note (403 from the upstream), to read and to edit */
    async bobRefusedAlicesNote() {
      const a = await target.device()
      await signIn(a.page, target.demo.origin, alice.email, alice.password)
      const href = await a.page.getByTestId('notes').locator('a').first().getAttribute('href')
      const noteId = href!.split('/').at(-1)!
      await a.page.goto(`${target.demo.origin}${href}`)
      await a.page.locator('h1', { hasText: 'Quarterly plan' }).or(a.page.locator('h1')).first().waitFor()

      const b = await target.device()
      await signIn(b.page, target.demo.origin, bob.email, bob.password)
      await b.page.goto(`${target.demo.origin}/notes/${noteId}`)
      await b.page.getByTestId('note-error').getByText('403').waitFor()
      const answers = await b.page.evaluate(async (id) => {
        const session = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
        const read = await fetch(`/api/notes/${id}`)
        const edit = await fetch(`/api/notes/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ title: 'bob was here', body: '' }),
        })
        return { read: read.status, edit: edit.status }
      }, noteId)
      expect(answers).toEqual({ read: 403, edit: 403 })
      await expectNoTokensInPage(a.page)
      await expectNoTokensInPage(b.page)
    },

    /** hides the admin page from bob and refuses it to him; alice sees users, keys and audit events and rotates keys */
    async adminPage() {
      const b = await target.device()
      await signIn(b.page, target.demo.origin, bob.email, bob.password)
      expect(await b.page.locator('nav >> text=Admin').count()).toBe(0)
      const page = await b.page.goto(`${target.demo.origin}/admin`)
      expect(page!.status()).toBe(403)
      await b.page.getByText('Not allowed').waitFor()
      expect(await b.page.evaluate(async () => (await fetch('/admin/api/overview')).status)).toBe(403)

      const a = await target.device()
      await signIn(a.page, target.demo.origin, alice.email, alice.password)
      await a.page.click('nav >> text=Admin')
      await a.page.waitForURL(`${target.demo.origin}/admin`)
      await a.page.getByTestId('admin-users').getByText('bob@example.com').waitFor()
      await a.page.getByTestId('admin-events').getByText('LOGIN_SUCCEEDED').first().waitFor()
      await a.page.getByTestId('admin-events').getByText('AUTHZ_DENIED').first().waitFor()
      await a.page.click('text=Rotate keys now')
      await a.page.getByTestId('admin-keys').getByText('next').waitFor()
      // The health panel, from the app's own metrics.
      await expectHealthPanel(a.page, target.resultsDir)
      await target.screenshot(a.page, 'admin')
      await expectNoTokensInPage(a.page)
      await expectNoTokensInPage(b.page)
    },

    /** revokes another device's session: that browser is signed out on its next request */
    async revokeAnotherDevice() {
      const laptop = await target.device('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36')
      const phone = await target.device('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36')
      await signIn(phone.page, target.demo.origin, bob.email, bob.password)
      await signIn(laptop.page, target.demo.origin, bob.email, bob.password)
      await laptop.page.click('nav >> text=Devices')
      const row = laptop.page.getByTestId('sessions').locator('tr', { hasText: 'Chrome on Android' })
      await row.first().waitFor()
      await target.screenshot(laptop.page, 'sessions')
      const rowsBefore = await row.count()
      await row.first().locator('button', { hasText: 'Revoke' }).click()
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(rowsBefore - 1)

      expect(await phone.page.evaluate(async () => (await fetch('/api/notes')).status)).toBe(401)
      await phone.page.reload()
      await phone.page.waitForURL(/\/login/)
      expect((await phone.context.cookies()).find((cookie) => cookie.name === '__Host-sid')).toBeUndefined()
      // The laptop is still signed in.
      await laptop.page.reload()
      await laptop.page.getByTestId('sessions').waitFor()
      await expectNoTokensInPage(laptop.page)
      await expectNoTokensInPage(phone.page)
    },

    /** signs out in one tab and the other tab of the same browser follows without a reload */
    async crossTabSignOut() {
      const { context, page } = await target.device()
      await signIn(page, target.demo.origin, bob.email, bob.password)
      const other = await context.newPage()
      await other.goto(`${target.demo.origin}/account/sessions`)
      // The device list is fetched after hydration: by then the tab listens for the other tabs.
      await other.getByTestId('sessions').locator('tbody tr').first().waitFor()
      await page.click('text=Sign out')
      await page.waitForURL(/\/login/)
      await other.waitForURL(/\/login/)
      await expectNoTokensInPage(page)
      await expectNoTokensInPage(other)
    },

    /** signs out everywhere: every other device of the user is signed out too */
    async signOutEverywhere() {
      const one = await target.device()
      const two = await target.device()
      await signIn(one.page, target.demo.origin, bob.email, bob.password)
      await signIn(two.page, target.demo.origin, bob.email, bob.password)
      await one.page.goto(`${target.demo.origin}/account/sessions`)
      await one.page.click('button:has-text("Sign out everywhere")')
      await one.page.waitForURL(/\/login/)
      await two.page.reload()
      await two.page.waitForURL(/\/login/)
      await expectNoTokensInPage(one.page)
      await expectNoTokensInPage(two.page)
    },

    /** replaces an expired access token without the user noticing */
    async expiredAccessTokenReplaced() {
      const { page } = await target.device()
      await signIn(page, target.demo.origin, alice.email, alice.password)
      const before = await claimsSeen(page)
      await page.waitForTimeout((target.accessTokenSeconds + 1) * 1000)
      const after = await claimsSeen(page)
      expect(after.status).toBe(200)
      expect(after.claims!.jti).not.toBe(before.claims!.jti)
      expect(after.claims!.exp as number).toBeGreaterThan(before.claims!.exp as number)
      expect(page.url()).toBe(`${target.demo.origin}/`)
      await page.getByTestId('greeting').waitFor()
      await expectNoTokensInPage(page)
    },

    /** signs in through the demo OpenID Provider */
    async oidcSignIn() {
      const { context, page } = await target.device()
      await page.goto(`${target.demo.origin}/login?returnTo=%2Faccount%2Fsessions`)
      await page.click('text=Sign in with Demo IdP')
      await page.waitForURL(/localhost:\d+\/interaction\//)
      expect(new URL(page.url()).port).not.toBe(String(target.demo.port))
      await page.fill('input[name=email]', bob.email)
      await page.fill('input[name=password]', 'wrong-password')
      await page.click('button[type=submit]')
      await page.getByText('Wrong email or password.').waitFor()
      await page.fill('input[name=email]', bob.email)
      await page.fill('input[name=password]', bob.password)
      await page.click('button[type=submit]')
      await page.waitForURL(`${target.demo.origin}/account/sessions`)
      expect(await page.getByTestId('user-name').textContent()).toBe(bob.name)
      expect((await context.cookies()).find((cookie) => cookie.name === '__Host-sid')).toMatchObject({ httpOnly: true, secure: true })
      await expectNoTokensInPage(page)
    },
  }
}
