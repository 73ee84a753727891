import { createNativeClient } from '@acme/demo/native/native-client'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoTokensInPage, launchBrowser, newDevice, screenshot, signIn } from './browser.js'
import { expectHealthPanel, expectLifecycleCounters } from './flows.js'
import { resultsDir, startDemo, type RunningDemo } from './next-process.js'

const alice = { email: 'alice@example.com', password: 'alice-password', name: 'Alice Martin' }
const bob = { email: 'bob@example.com', password: 'bob-password', name: 'Bob Lee' }
const accessTokenSeconds = 4

let demo: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []

async function device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser, userAgent)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

/** What the upstream saw in the Bearer token of this request (through the BFF). */
const claimsSeen = (page: Page) =>
  page.evaluate(async () => {
    const answer = await fetch('/api/me')
    return { status: answer.status, claims: answer.ok ? ((await answer.json()) as Record<string, unknown>) : null }
  })

describe('the Next.js demo in a browser (session strategy, memory stores)', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo('session', { ACCESS_TOKEN_TTL_SECONDS: String(accessTokenSeconds) }), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
  })

  it('signs in with a password; the session cookie is HttpOnly, Secure and SameSite=Lax in the browser', async () => {
    const { context, page } = await device()
    await page.goto(`${demo.origin}/login`)
    await screenshot(page, 'login')
    await signIn(page, demo.origin, alice.email, alice.password)
    await page.getByTestId('notes').locator('li').first().waitFor()
    await screenshot(page, 'dashboard')

    const cookies = await context.cookies()
    const sid = cookies.find((cookie) => cookie.name === '__Host-sid')!
    expect(sid).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
    expect(sid.expires).toBeGreaterThan(Date.now() / 1000)
    const csrf = cookies.find((cookie) => cookie.name === '__Host-csrf')!
    expect(csrf).toMatchObject({ httpOnly: false, secure: true, sameSite: 'Lax' })
    await expectNoTokensInPage(page)
  })

  it('renders the signed-in page on the server: the first HTML already holds the user, with strict security headers', async () => {
    const { context, page } = await device()
    await signIn(page, demo.origin, alice.email, alice.password)
    const first = await context.request.get(`${demo.origin}/`, { maxRedirects: 0 })
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
    expect(headers['cache-control']).toContain('no-store')
    // Plain HTTP: no HSTS (browsers ignore it there, and it would stick to localhost).
    expect(headers['strict-transport-security']).toBeUndefined()
    // Every script of the page carries this response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
    for (const tag of html.match(/<script[^>]*>/g)!) expect(tag).toContain(`nonce="${nonce}"`)
    await expectNoTokensInPage(page)
  })

  it('reads and writes notes through the BFF; the upstream sees only a Bearer token with ids and roles', async () => {
    const { page } = await device()
    await signIn(page, demo.origin, alice.email, alice.password)
    await page.fill('input[name=title]', 'Written in the browser test')
    await page.fill('textarea[name=body]', 'through /api → upstream')
    await page.click('text=Add note')
    await page.getByText('Written in the browser test').waitFor()

    const seen = await claimsSeen(page)
    expect(seen.status).toBe(200)
    expect(seen.claims).toMatchObject({ sub: 'u-alice', roles: ['admin'], aud: 'acme-demo-api', iss: demo.origin })
    expect(JSON.stringify(seen.claims)).not.toContain('alice@example.com')
    await expectNoTokensInPage(page)
  })

  it("refuses bob alice's note (403 from the upstream), to read and to edit", async () => {
    const a = await device()
    await signIn(a.page, demo.origin, alice.email, alice.password)
    const href = await a.page.getByTestId('notes').locator('a').first().getAttribute('href')
    const noteId = href!.split('/').at(-1)!
    await a.page.goto(`${demo.origin}${href}`)
    await a.page.locator('h1', { hasText: 'Quarterly plan' }).or(a.page.locator('h1')).first().waitFor()

    const b = await device()
    await signIn(b.page, demo.origin, bob.email, bob.password)
    await b.page.goto(`${demo.origin}/notes/${noteId}`)
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
  })

  it('hides the admin page from bob and refuses it to him; alice sees users, keys and audit events and rotates keys', async () => {
    const b = await device()
    await signIn(b.page, demo.origin, bob.email, bob.password)
    expect(await b.page.locator('nav >> text=Admin').count()).toBe(0)
    const page = await b.page.goto(`${demo.origin}/admin`)
    expect(page!.status()).toBe(403)
    await b.page.getByText('Not allowed').waitFor()
    expect(await b.page.evaluate(async () => (await fetch('/admin/api/overview')).status)).toBe(403)

    const a = await device()
    await signIn(a.page, demo.origin, alice.email, alice.password)
    await a.page.click('nav >> text=Admin')
    await a.page.waitForURL(`${demo.origin}/admin`)
    await a.page.getByTestId('admin-users').getByText('bob@example.com').waitFor()
    await a.page.getByTestId('admin-events').getByText('LOGIN_SUCCEEDED').first().waitFor()
    await a.page.getByTestId('admin-events').getByText('AUTHZ_DENIED').first().waitFor()
    await a.page.click('text=Rotate keys now')
    await a.page.getByTestId('admin-keys').getByText('next').waitFor()
    // The health panel, from this app's own metrics (apps/demo's sampler and check).
    await expectHealthPanel(a.page, resultsDir)
    await screenshot(a.page, 'admin')
    await expectNoTokensInPage(a.page)
    await expectNoTokensInPage(b.page)
  })

  it("revokes another device's session: that browser is signed out on its next request", async () => {
    const laptop = await device('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36')
    const phone = await device('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36')
    await signIn(phone.page, demo.origin, bob.email, bob.password)
    await signIn(laptop.page, demo.origin, bob.email, bob.password)
    await laptop.page.click('nav >> text=Devices')
    const row = laptop.page.getByTestId('sessions').locator('tr', { hasText: 'Chrome on Android' })
    await row.first().waitFor()
    await screenshot(laptop.page, 'sessions')
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
  })

  it('signs out in one tab and the other tab of the same browser follows without a reload', async () => {
    const { context, page } = await device()
    await signIn(page, demo.origin, bob.email, bob.password)
    const other = await context.newPage()
    await other.goto(`${demo.origin}/account/sessions`)
    // The device list is fetched after hydration: by then the tab listens for the other tabs.
    await other.getByTestId('sessions').locator('tbody tr').first().waitFor()
    await page.click('text=Sign out')
    await page.waitForURL(/\/login/)
    await other.waitForURL(/\/login/)
    await expectNoTokensInPage(page)
    await expectNoTokensInPage(other)
  })

  it('signs out everywhere: every other device of the user is signed out too', async () => {
    const one = await device()
    const two = await device()
    await signIn(one.page, demo.origin, bob.email, bob.password)
    await signIn(two.page, demo.origin, bob.email, bob.password)
    await one.page.goto(`${demo.origin}/account/sessions`)
    await one.page.click('button:has-text("Sign out everywhere")')
    await one.page.waitForURL(/\/login/)
    await two.page.reload()
    await two.page.waitForURL(/\/login/)
    await expectNoTokensInPage(one.page)
    await expectNoTokensInPage(two.page)
  })

  it('replaces an expired access token without the user noticing', async () => {
    const { page } = await device()
    await signIn(page, demo.origin, alice.email, alice.password)
    const before = await claimsSeen(page)
    await page.waitForTimeout((accessTokenSeconds + 1) * 1000)
    const after = await claimsSeen(page)
    expect(after.status).toBe(200)
    expect(after.claims!.jti).not.toBe(before.claims!.jti)
    expect(after.claims!.exp as number).toBeGreaterThan(before.claims!.exp as number)
    expect(page.url()).toBe(`${demo.origin}/`)
    await page.getByTestId('greeting').waitFor()
    await expectNoTokensInPage(page)
  })

  it('signs in through the demo OpenID Provider', async () => {
    const { context, page } = await device()
    await page.goto(`${demo.origin}/login?returnTo=%2Faccount%2Fsessions`)
    await page.click('text=Sign in with Demo IdP')
    await page.waitForURL(/localhost:\d+\/interaction\//)
    expect(new URL(page.url()).port).not.toBe(String(demo.port))
    await page.fill('input[name=email]', bob.email)
    await page.fill('input[name=password]', 'wrong-password')
    await page.click('button[type=submit]')
    await page.getByText('Wrong email or password.').waitFor()
    await page.fill('input[name=email]', bob.email)
    await page.fill('input[name=password]', bob.password)
    await page.click('button[type=submit]')
    await page.waitForURL(`${demo.origin}/account/sessions`)
    expect(await page.getByTestId('user-name').textContent()).toBe(bob.name)
    expect((await context.cookies()).find((cookie) => cookie.name === '__Host-sid')).toMatchObject({ httpOnly: true, secure: true })
    await expectNoTokensInPage(page)
  })
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
