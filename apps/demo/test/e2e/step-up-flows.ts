import { createTotpCode } from '@acme/auth-testing'
import type { BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { expectNoTokensInPage, signIn } from './browser.js'

/** What the step-up flow needs of the app under test (apps/demo or apps/next-demo) and its test file. */
export interface StepUpFlowTarget {
  readonly demo: { origin: string }
  /** A new browser context (closed by the test file) and a page in it. */
  device(): Promise<{ context: BrowserContext; page: Page }>
  screenshot(page: Page, name: string): Promise<void>
}

const systemClock = { now: () => Date.now() }
const step = () => Math.floor(Date.now() / 30_000)
const factorsOf = (page: Page) => page.evaluate(async () => (await (await fetch('/auth/mfa')).json()) as { totp: boolean; recoveryCodes: number; passkeys: number })

/** Bob enrols TOTP through the API from his signed-in page (a fresh session), as the hooks do. */
async function enrollTotpOverApi(page: Page) {
  const secret = await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
    const answer = await fetch('/auth/mfa/totp', { method: 'POST', headers: { 'x-csrf-token': csrfToken } })
    return new URL(((await answer.json()) as { otpauthUrl: string }).otpauthUrl).searchParams.get('secret')!
  })
  const status = await page.evaluate(async (code) => {
    const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string }
    const answer = await fetch('/auth/mfa/totp/confirm', { method: 'POST', headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ code }) })
    return answer.status
  }, createTotpCode(secret, systemClock))
  expect(status).toBe(200)
}

/** The admin page's row of one user. */
const userRow = (page: Page, email: string) => page.getByTestId('admin-users').locator('tr', { hasText: email })

/**
 * Step-up on an admin action, in a browser (both demos): alice, the admin, resets bob's second
 * factors. Without a factor the prompt says so and links to the security page; she enrols an
 * authenticator app there (and regenerates her recovery codes, shown once); the action is refused
 * with 401 `…/mfa-required`, the prompt asks for a code, the test computes it, and the action
 * runs once more and succeeds: bob's factors are gone on the server. Then she removes her
 * authenticator app. Storage stays empty and no token or TOTP secret is in the admin page.
 * Changes alice and bob: run it against an app of its own.
 */
export async function stepUpOnAdminAction(target: StepUpFlowTarget): Promise<void> {
  const { origin } = target.demo
  const b = await target.device()
  await signIn(b.page, origin, 'bob@example.com', 'bob-password')
  await enrollTotpOverApi(b.page)
  expect(await factorsOf(b.page)).toMatchObject({ totp: true, recoveryCodes: 10 })

  const a = await target.device()
  await signIn(a.page, origin, 'alice@example.com', 'alice-password')
  await a.page.goto(`${origin}/admin`)
  await expect.poll(() => userRow(a.page, 'bob@example.com').getByTestId('second-factors').textContent()).toBe('totp, recovery')
  const resetBob = userRow(a.page, 'bob@example.com').getByRole('button', { name: 'Reset second factors' })
  await a.page.waitForSelector('[data-testid=admin-users] button:has-text("Reset second factors"):not([disabled])', { timeout: 30_000 })

  // No factor yet: the prompt says so and sends her to the security page.
  await resetBob.click()
  const prompt = a.page.getByTestId('step-up')
  await prompt.getByText('You have no second factor yet.').waitFor()
  await target.screenshot(a.page, 'step-up-no-factor')
  await prompt.getByRole('link', { name: 'Set one up on the security page' }).click()
  await a.page.waitForURL(`${origin}/account/security`)

  await a.page.waitForSelector('[data-testid=totp-start]:not([disabled])', { timeout: 30_000 })
  await a.page.click('[data-testid=totp-start]')
  const secret = new URL((await a.page.getByTestId('totp-url').textContent())!).searchParams.get('secret')!
  await a.page.fill('[data-testid=totp-code]', createTotpCode(secret, systemClock))
  const usedStep = step()
  await a.page.click('text=Turn on')
  await expect.poll(() => a.page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
  const firstCodes = await a.page.getByTestId('recovery-codes').locator('li').allTextContents()

  // New recovery codes, shown once; the old ones are void (one of them no longer steps up, below).
  await a.page.reload()
  await a.page.waitForSelector('[data-testid=recovery-regenerate]:not([disabled])', { timeout: 30_000 })
  await a.page.click('[data-testid=recovery-regenerate]')
  await expect.poll(() => a.page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
  const newCodes = await a.page.getByTestId('recovery-codes').locator('li').allTextContents()
  expect(newCodes.filter((code) => firstCodes.includes(code))).toEqual([])
  await a.page.reload()
  await a.page.getByTestId('totp').getByText('10 recovery codes left').waitFor()
  expect(await a.page.getByTestId('recovery-codes').count()).toBe(0)

  // The guarded action: refused until she steps up.
  await a.page.goto(`${origin}/admin`)
  await a.page.waitForSelector('[data-testid=admin-users] button:has-text("Reset second factors"):not([disabled])', { timeout: 30_000 })
  const refused = a.page.waitForResponse((response) => response.url().endsWith('/admin/api/users/u-bob/reset-second-factors'))
  await resetBob.click()
  const first = await refused
  expect(first.status()).toBe(401)
  expect(((await first.json()) as { type: string }).type).toBe('https://acme.dev/problems/mfa-required')
  await prompt.getByTestId('step-up-code').waitFor()
  await target.screenshot(a.page, 'step-up-prompt')
  await expectNoTokensInPage(a.page)

  // An old recovery code is refused (regenerated above); the prompt stays.
  await prompt.getByRole('button', { name: 'Use a recovery code' }).click()
  await a.page.fill('[data-testid=step-up-code]', firstCodes[0]!)
  await prompt.getByRole('button', { name: 'Confirm' }).click()
  await prompt.getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor()
  await prompt.getByRole('button', { name: 'Use the authenticator app' }).click()

  // A code is accepted once: the one that turned the app on is spent, so wait for the next step.
  while (step() <= usedStep) await a.page.waitForTimeout(500)
  await a.page.fill('[data-testid=step-up-code]', createTotpCode(secret, systemClock))
  const retried = a.page.waitForResponse((response) => response.url().endsWith('/admin/api/users/u-bob/reset-second-factors'))
  await prompt.getByRole('button', { name: 'Confirm' }).click()
  expect((await retried).status()).toBe(200)
  await a.page.getByTestId('reset-done').waitFor()
  expect(await prompt.count()).toBe(0)
  await expect.poll(() => userRow(a.page, 'bob@example.com').getByTestId('second-factors').textContent()).toBe('none')
  await a.page.getByTestId('admin-events').getByText('MFA_REMOVED').first().waitFor()
  await target.screenshot(a.page, 'step-up-done')
  const session = await a.page.evaluate(async () => (await (await fetch('/auth/session')).json()) as { session?: { authLevel?: string } })
  expect(session.session?.authLevel).toBe('mfa')
  await expectNoTokensInPage(a.page)
  expect(await a.page.evaluate((value) => document.documentElement.outerHTML.includes(value), secret)).toBe(false)

  // Really done on the server: bob has no factor left (his own view), and signs in with the password alone.
  expect(await factorsOf(b.page)).toEqual({ totp: false, recoveryCodes: 0, passkeys: 0 })
  await expectNoTokensInPage(b.page)
  await b.page.click('text=Sign out')
  await b.page.waitForURL(/\/login/)
  await signIn(b.page, origin, 'bob@example.com', 'bob-password')

  // Alice removes her authenticator app (her sign-in is recent): the card offers a new set-up.
  await a.page.goto(`${origin}/account/security`)
  await a.page.waitForSelector('[data-testid=totp-remove]:not([disabled])', { timeout: 30_000 })
  await a.page.click('[data-testid=totp-remove]')
  await a.page.waitForSelector('[data-testid=totp-start]:not([disabled])')
  expect(await factorsOf(a.page)).toEqual({ totp: false, recoveryCodes: 0, passkeys: 0 })
  await expectNoTokensInPage(a.page)
}
