import { createTotpCode } from '@acme/auth-testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoTokensInPage, launchBrowser, newDevice, screenshot } from './browser.js'
import { startDemo, type RunningDemo } from './demo-process.js'
import { createVerifiedAccount as createOutboxAccount } from './outbox.js'
import { stepUpOnAdminAction } from './step-up-flows.js'

// Second factors at sign-in on the login page and on the security page, for throw-away accounts;
// the step-up flow (shared with apps/next-demo) changes alice's and bob's factors, in this app only.
let demo: RunningDemo
let browser: Browser
const contexts: BrowserContext[] = []
const systemClock = { now: () => Date.now() }

async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newDevice(browser)
  contexts.push(context)
  return { context, page: await context.newPage() }
}

const createVerifiedAccount = (label: string) => createOutboxAccount(browser, demo, label)

async function passwordStep(page: Page, account: { email: string; password: string }) {
  await page.goto(`${demo.origin}/login`)
  await page.waitForSelector('button[type=submit]:not([disabled])', { timeout: 30_000 })
  await page.fill('input[name=email]', account.email)
  await page.fill('input[name=password]', account.password)
  await page.click('button[type=submit]')
}

/** Enrolls TOTP from the signed-in page (a fresh session), as the hooks do: the secret and the 10 recovery codes. */
async function enrollTotp(page: Page) {
  const { otpauthUrl } = await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
    const answer = await fetch('/auth/mfa/totp', { method: 'POST', headers: { 'x-csrf-token': csrfToken } })
    return (await answer.json()) as { otpauthUrl: string }
  })
  const secret = new URL(otpauthUrl).searchParams.get('secret')!
  const code = createTotpCode(secret, systemClock)
  const { recoveryCodes } = await page.evaluate(async (first) => {
    const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
    const answer = await fetch('/auth/mfa/totp/confirm', {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ code: first }),
    })
    return (await answer.json()) as { recoveryCodes: string[] }
  }, code)
  expect(recoveryCodes).toHaveLength(10)
  return { secret, recoveryCodes, usedAt: Math.floor(Date.now() / 30_000) }
}

async function signedInAs(page: Page, email: string) {
  await page.waitForURL(`${demo.origin}/`)
  await page.getByTestId('greeting').waitFor()
  const session = await page.evaluate(async () => (await (await fetch('/auth/session')).json()) as { user: { email: string } | null; session?: { authLevel?: string } })
  expect(session.user?.email).toBe(email)
  expect(session.session?.authLevel).toBe('mfa')
}

async function signOut(page: Page) {
  await page.click('text=Sign out')
  await page.waitForURL(/\/login/)
}

describe('second factors at sign-in in a browser (development mail, session strategy)', () => {
  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo('second-factors', { NODE_ENV: 'development', DEMO_CLIENT: 'prebuilt' }), launchBrowser()])
  })
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close()
    await demo?.stop()
  })

  it('a TOTP code and a recovery code each finish a sign-in; a used recovery code is refused the second time', async () => {
    const account = await createVerifiedAccount('otp')
    const { page } = await device()
    await passwordStep(page, account)
    await page.getByTestId('greeting').waitFor()
    const { secret, recoveryCodes, usedAt } = await enrollTotp(page)
    await signOut(page)

    // The password alone: the second-factor step, no session.
    await passwordStep(page, account)
    await page.getByTestId('second-factor').waitFor()
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('__Host-sid')
    await screenshot(page, 'second-factor-prompt')
    await expectNoTokensInPage(page)
    // A code is accepted once: wait for the step after the one the enrollment used.
    while (Math.floor(Date.now() / 30_000) <= usedAt) await page.waitForTimeout(500)
    await page.fill('[data-testid=mfa-code]', createTotpCode(secret, systemClock))
    await page.click('button[type=submit]')
    await signedInAs(page, account.email)
    await expectNoTokensInPage(page)
    await signOut(page)

    // A recovery code, once.
    await passwordStep(page, account)
    await page.getByTestId('second-factor').waitFor()
    await page.click('text=Use a recovery code')
    await page.fill('[data-testid=mfa-code]', recoveryCodes[0]!)
    await page.click('button[type=submit]')
    await signedInAs(page, account.email)
    await expectNoTokensInPage(page)
    await signOut(page)

    await passwordStep(page, account)
    await page.getByTestId('second-factor').waitFor()
    await page.click('text=Use a recovery code')
    await page.fill('[data-testid=mfa-code]', recoveryCodes[0]!)
    await page.click('button[type=submit]')
    await page.getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor()
    await screenshot(page, 'second-factor-refused')
    expect(page.url()).toMatch(/\/login/)
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('__Host-sid')
    await expectNoTokensInPage(page)
  }, 120_000)

  it('"Remember this device for 30 days": the next password sign-in skips the step (one factor), until the device is forgotten', async () => {
    const account = await createVerifiedAccount('remember')
    const { page } = await device()
    await passwordStep(page, account)
    await page.getByTestId('greeting').waitFor()
    const { recoveryCodes } = await enrollTotp(page)
    await signOut(page)

    await passwordStep(page, account)
    await page.getByTestId('second-factor').waitFor()
    await page.click('text=Use a recovery code')
    await page.check('[data-testid=remember-device]')
    await page.fill('[data-testid=mfa-code]', recoveryCodes[0]!)
    await page.click('button[type=submit]')
    await signedInAs(page, account.email)
    const remembered = (await page.context().cookies()).find((cookie) => cookie.name === '__Host-device')
    expect(remembered).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
    expect(remembered!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000)
    await expectNoTokensInPage(page)
    await signOut(page)

    // The same browser: straight in with the password, and the session claims one factor only.
    await passwordStep(page, account)
    await page.waitForURL(`${demo.origin}/`)
    await page.getByTestId('greeting').waitFor()
    const session = await page.evaluate(async () => (await (await fetch('/auth/session')).json()) as { session?: { authLevel?: string } })
    expect(session.session?.authLevel).toBe('password')

    await page.goto(`${demo.origin}/account/sessions`)
    const row = page.getByTestId('trusted-devices').locator('tr', { hasText: 'This browser' })
    await row.waitFor()
    expect(await row.textContent()).toContain('Chrome on Linux')
    await screenshot(page, 'remembered-devices')
    await row.getByRole('button', { name: 'Forget' }).click()
    await page.getByTestId('no-trusted-devices').waitFor()
    await signOut(page)
    await passwordStep(page, account)
    await page.getByTestId('second-factor').waitFor()
  }, 120_000)

  it('enrolls TOTP on the security page (QR image, 10 recovery codes once), then adds, renames and signs in with a passkey (CDP virtual authenticator)', async () => {
    const account = await createVerifiedAccount('key')
    const { page } = await device()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    })
    await passwordStep(page, account)
    await page.getByTestId('greeting').waitFor()
    await page.goto(`${demo.origin}/account`)
    await page.click('text=Second factors and passkeys')
    await page.waitForURL(`${demo.origin}/account/security`)
    await page.waitForSelector('[data-testid=totp-start]:not([disabled])', { timeout: 30_000 })
    await page.click('[data-testid=totp-start]')
    const qr = page.getByTestId('totp-qr')
    await qr.waitFor()
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/)
    const secret = new URL((await page.getByTestId('totp-url').textContent())!).searchParams.get('secret')!
    await page.fill('[data-testid=totp-code]', createTotpCode(secret, systemClock))
    await page.click('text=Turn on')
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await screenshot(page, 'security-recovery-codes')
    await expectNoTokensInPage(page)

    await page.click('[data-testid=passkey-add]')
    await page.getByTestId('passkey').first().waitFor()
    await page.fill('[data-testid=passkey] input[name=name]', 'Test laptop')
    await page.click('[data-testid=passkey] >> text=Rename')
    await expect.poll(async () => (await page.evaluate(async () => (await (await fetch('/auth/passkeys')).json()) as { name: string }[])).map((p) => p.name)).toEqual(['Test laptop'])
    await screenshot(page, 'security-passkeys')
    await expectNoTokensInPage(page)
    // The recovery codes were on screen once: a reload shows only how many are left.
    await page.reload()
    await page.getByTestId('totp').getByText('10 recovery codes left').waitFor()
    await signOut(page)

    await page.waitForSelector('[data-testid=passkey-sign-in]:not([disabled])', { timeout: 30_000 })
    await page.click('[data-testid=passkey-sign-in]')
    await signedInAs(page, account.email)
    await expectNoTokensInPage(page)
  }, 120_000)

  it('an OIDC sign-in of a user with a second factor lands on the factor step (?mfa=pending), and a recovery code finishes it', async () => {
    const bob = { email: 'bob@example.com', password: 'bob-password' }
    const { page } = await device()
    await passwordStep(page, bob)
    await page.getByTestId('greeting').waitFor()
    const { recoveryCodes } = await enrollTotp(page)
    await signOut(page)

    await page.goto(`${demo.origin}/login?returnTo=%2F`)
    await page.click('text=Sign in with Demo IdP')
    await page.waitForURL(/localhost:\d+\/interaction\//)
    await page.fill('input[name=email]', bob.email)
    await page.fill('input[name=password]', bob.password)
    await page.click('button[type=submit]')
    // Back at the app with no session: the login page asks the server for the pending sign-in.
    await page.waitForURL(/\/login\?mfa=pending/)
    await page.getByTestId('second-factor').waitFor()
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('__Host-sid')
    await expectNoTokensInPage(page)
    await page.click('text=Use a recovery code')
    await page.fill('[data-testid=mfa-code]', recoveryCodes[0]!)
    await page.click('button[type=submit]')
    await signedInAs(page, bob.email)
    await expectNoTokensInPage(page)

    // Bob as the step-up flow expects him: no factor (the sign-in just now is fresh enough to remove it).
    const removed = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
      return (await fetch('/auth/mfa/totp', { method: 'DELETE', headers: { 'x-csrf-token': csrfToken } })).status
    })
    expect(removed).toBe(204)
  })

  it('step-up on the admin action: refused with …/mfa-required, the prompt takes a computed TOTP code, the action runs and bob’s factors are gone', () =>
    stepUpOnAdminAction({ demo, device, screenshot }), 150_000)
})
