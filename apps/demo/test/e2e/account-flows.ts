import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { expectNoTokensInPage, signIn } from './browser.js'
import { createVerifiedAccount as outboxVerifiedAccount, mailedLink as outboxMailedLink, newAccount } from './outbox.js'

/** What the account flows need of the app under test (apps/demo or apps/next-demo) and its test file. */
export interface AccountFlowTarget {
  readonly demo: { origin: string; port: number }
  readonly browser: Browser
  /** A new browser context (closed by the test file) and a page in it. */
  device(userAgent?: string): Promise<{ context: BrowserContext; page: Page }>
  screenshot(page: Page, name: string): Promise<void>
}

/**
 * The account flows in a browser — sign-up and verification through the /dev/outbox page, forgot
 * and reset, change password, delete the account — against an app in development mail mode.
 * Shared by apps/demo and apps/next-demo, which serve the same surface: the same checks on both.
 * `target` is read when a flow runs (the app starts in the test file's `beforeAll`).
 */
export function createAccountFlows(target: AccountFlowTarget) {
  const device = (userAgent?: string) => target.device(userAgent)
  const screenshot = (page: Page, name: string) => target.screenshot(page, name)

  const mailedLink = (to: string, path: string) => outboxMailedLink(target.demo, to, path)
  const createVerifiedAccount = (label: string) => outboxVerifiedAccount(target.browser, target.demo, label)

  /** Waits until the page's form can be used (React hydrated). */
  const hydrated = (page: Page) => page.waitForSelector('button[type=submit]:not([disabled])', { timeout: 30_000 })

  return {
    /** signs up, reads the mail in the /dev/outbox page, verifies from its link, and is signed in */
    async signUpAndVerify() {
      const account = newAccount('neo')
      const { page } = await device()
      await page.goto(`${target.demo.origin}/login`)
      await page.click('text=Create an account')
      await page.waitForURL(`${target.demo.origin}/signup`)
      await hydrated(page)
      await page.fill('input[name=name]', account.name)
      await page.fill('input[name=email]', account.email)
      await page.fill('input[name=password]', account.password)
      await page.click('button[type=submit]')
      await page.getByTestId('signup-sent').waitFor()
      // Not signed in before the address is confirmed.
      expect((await page.context().cookies()).find((cookie) => cookie.name === '__Host-sid')).toBeUndefined()

      await mailedLink(account.email, '/verify-email')
      await page.goto(`${target.demo.origin}/dev/outbox`)
      const mail = page.getByTestId('outbox-message').filter({ hasText: account.email }).first()
      await screenshot(page, 'outbox')
      await mail.locator('a[href*="/verify-email?token="]').click()
      await page.waitForURL(/\/verify-email\?token=/)
      await page.click('button:has-text("Confirm my email address"):not([disabled])')
      await page.waitForURL(`${target.demo.origin}/`)
      await page.getByTestId('greeting').waitFor()
      expect(await page.getByTestId('user-name').textContent()).toBe(account.name)
      await expectNoTokensInPage(page)

      // The same address again: the same answer (the owner gets an "already registered" mail).
      const again = await device()
      await again.page.goto(`${target.demo.origin}/signup`)
      await hydrated(again.page)
      await again.page.fill('input[name=email]', account.email)
      await again.page.fill('input[name=password]', 'some other passphrase')
      await again.page.click('button[type=submit]')
      await again.page.getByTestId('signup-sent').waitFor()
      await expectNoTokensInPage(again.page)
    },

    /** forgot password → mail → reset: the other browser is signed out, the old password fails, the new one signs in */
    async forgotAndReset() {
      const account = await createVerifiedAccount('reset')
      const other = await device()
      await signIn(other.page, target.demo.origin, account.email, account.password)

      const { page } = await device()
      await page.goto(`${target.demo.origin}/login`)
      await page.click('text=Forgot your password?')
      await page.waitForURL(`${target.demo.origin}/forgot-password`)
      await hydrated(page)
      await page.fill('input[name=email]', account.email)
      await page.click('button[type=submit]')
      await page.getByTestId('reset-sent').waitFor()

      const link = await mailedLink(account.email, '/reset-password')
      const opened = await page.goto(link)
      expect(opened!.headers()['referrer-policy']).toBe('no-referrer')
      await hydrated(page)
      const newPassword = 'a brand new passphrase'
      await page.fill('input[name=password]', newPassword)
      await page.fill('input[name=confirm]', newPassword)
      await page.click('button[type=submit]')
      await page.waitForURL(`${target.demo.origin}/login?notice=password-reset`)
      await page.getByTestId('login-notice').waitFor()

      // The other browser's session ended with the reset.
      expect(await other.page.evaluate(async () => (await fetch('/api/notes')).status)).toBe(401)
      await other.page.reload()
      await other.page.waitForURL(/\/login/)
      expect((await other.context.cookies()).find((cookie) => cookie.name === '__Host-sid')).toBeUndefined()

      await hydrated(page)
      await page.fill('input[name=email]', account.email)
      await page.fill('input[name=password]', account.password)
      await page.click('button[type=submit]')
      await page.getByText('Wrong email or password.').waitFor()
      await signIn(page, target.demo.origin, account.email, newPassword)
      await expectNoTokensInPage(page)
      await expectNoTokensInPage(other.page)
    },

    /** changes the password in account settings: the other device is signed out, this one stays signed in */
    async changePassword() {
      const account = await createVerifiedAccount('change')
      const phone = await device()
      await signIn(phone.page, target.demo.origin, account.email, account.password)
      const { context, page } = await device()
      await signIn(page, target.demo.origin, account.email, account.password)
      const sid = (await context.cookies()).find((cookie) => cookie.name === '__Host-sid')!.value

      await page.click('nav >> text=Account')
      await page.waitForURL(`${target.demo.origin}/account`)
      await page.getByTestId('linked-accounts').locator('tr[data-provider="password"]').waitFor()
      const form = page.getByTestId('change-password')
      await form.locator('button[type=submit]:not([disabled])').waitFor()
      await form.locator('input[name=currentPassword]').fill('not the password')
      await form.locator('input[name=newPassword]').fill('the changed passphrase')
      await form.locator('button[type=submit]').click()
      await form.getByText('The current password is not right.').waitFor()
      await form.locator('input[name=currentPassword]').fill(account.password)
      await form.locator('input[name=newPassword]').fill('the changed passphrase')
      await form.locator('button[type=submit]').click()
      await page.getByTestId('password-changed').waitFor()
      await screenshot(page, 'account')

      // This browser continues on a rotated session token; the phone is signed out.
      expect((await context.cookies()).find((cookie) => cookie.name === '__Host-sid')!.value).not.toBe(sid)
      await page.reload()
      expect(page.url()).toBe(`${target.demo.origin}/account`)
      await page.getByTestId('change-password').waitFor()
      await phone.page.reload()
      await phone.page.waitForURL(/\/login/)
      await signIn(phone.page, target.demo.origin, account.email, 'the changed passphrase')
      await expectNoTokensInPage(page)
      await expectNoTokensInPage(phone.page)
    },

    /** deletes a throw-away account: signed out, and the account no longer signs in */
    async deleteAccount() {
      const account = await createVerifiedAccount('gone')
      const { context, page } = await device()
      await signIn(page, target.demo.origin, account.email, account.password)
      await page.goto(`${target.demo.origin}/account`)
      await page.click('button:has-text("Delete my account…")')
      const form = page.getByTestId('delete-account')
      await form.locator('input[name=password]').fill(account.password)
      await form.locator('button[type=submit]').click()
      await page.waitForURL(`${target.demo.origin}/login?notice=account-deleted`)
      expect((await context.cookies()).find((cookie) => cookie.name === '__Host-sid')).toBeUndefined()
      await expectNoTokensInPage(page)

      await hydrated(page)
      await page.fill('input[name=email]', account.email)
      await page.fill('input[name=password]', account.password)
      await page.click('button[type=submit]')
      await page.getByText('Wrong email or password.').waitFor()
      await expectNoTokensInPage(page)
    },
  }
}
