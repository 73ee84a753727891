import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import { expectNoTokensInPage, newDevice, signIn } from './browser.js'
import type { RunningDemo } from './demo-process.js'

/**
 * Sign-in, an access token that expires and is replaced while the page stays signed in, then
 * sign-out, with the cookies the strategy promises. Shared by the token-strategy and Redis runs.
 */
export async function signInRefreshSignOut(browser: Browser, demo: RunningDemo, strategy: 'session' | 'token', accessTokenSeconds: number) {
  const context = await newDevice(browser)
  const page = await context.newPage()
  await signIn(page, demo.origin, 'alice@example.com', 'alice-password')
  await page.getByTestId('notes').locator('li').first().waitFor()

  const cookie = async (name: string) => (await context.cookies()).find((candidate) => candidate.name === name)
  if (strategy === 'token') {
    expect(await cookie('__Host-sid')).toBeUndefined()
    expect(await cookie('__Host-access')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
    expect(await cookie('__Secure-refresh')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/auth' })
  } else {
    expect(await cookie('__Host-sid')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
  }
  const me = () => page.evaluate(async () => ((await fetch('/api/me')).ok ? ((await (await fetch('/api/me')).json()) as { jti: string }) : null))
  const before = { claims: await me(), access: (await cookie('__Host-access'))?.value }
  expect(before.claims).not.toBeNull()
  await expectNoTokensInPage(page)

  // Past the access token's lifetime, with the page open: nothing visible happens.
  await page.waitForTimeout((accessTokenSeconds + 2) * 1000)
  expect(page.url()).toBe(`${demo.origin}/`)
  await page.getByTestId('greeting').waitFor()
  const after = await me()
  expect(after).not.toBeNull()
  expect(after!.jti).not.toBe(before.claims!.jti)
  if (strategy === 'token') expect((await cookie('__Host-access'))?.value).not.toBe(before.access)
  const html = await (await context.request.get(`${demo.origin}/`, { maxRedirects: 0 })).text()
  expect(html).toContain('data-testid="user-name">Alice Martin<')
  await expectNoTokensInPage(page)

  await page.click('text=Sign out')
  await page.waitForURL(/\/login/)
  for (const name of ['__Host-sid', '__Host-access', '__Secure-refresh']) expect(await cookie(name)).toBeUndefined()
  expect((await context.request.get(`${demo.origin}/`, { maxRedirects: 0 })).status()).toBe(303)
  await expectNoTokensInPage(page)
  await context.close()
}
