// Test helpers for second factors: an app with TOTP on a test clock, and enrollment over HTTP.
import { MemorySecondFactorStore, type SecondFactorStore } from '@acme/auth-core'
import { createTestClock, createTotpCode, trackSecrets, type TestClock } from '@acme/auth-testing'
import { expect } from 'vitest'
import type { AuthSecondFactorOptions } from '../src/index.js'
import { browser, createTestApp, setCookies, type TestAppOptions } from './fixtures.js'

export type Browser = ReturnType<typeof browser>

/** An app with second factors on `clock` (sessions too), memory stores unless given. */
export async function createMfaApp(
  options: { clock?: TestClock; factorStore?: SecondFactorStore; secondFactors?: Partial<AuthSecondFactorOptions> } & Omit<TestAppOptions, 'secondFactors' | 'clock'> = {},
) {
  const { clock = createTestClock(), factorStore = new MemorySecondFactorStore(), secondFactors, ...rest } = options
  const testApp = await createTestApp({ ...rest, clock, secondFactors: { store: factorStore, clock, ...secondFactors } })
  return { ...testApp, clock, factorStore }
}

/**
 * Enrolls TOTP for the browser's signed-in user over HTTP (fresh session → QR → first code) and
 * moves the clock to the next time step, so the next code is a new one.
 */
export async function enrollTotp(b: Browser, clock: TestClock) {
  const started = await b.post('/auth/mfa/totp')
  expect(started.status).toBe(200)
  const { otpauthUrl, qrSvg } = started.body as { otpauthUrl: string; qrSvg: string }
  expect(qrSvg).toMatch(/^<svg/)
  const secret = new URL(otpauthUrl).searchParams.get('secret')!
  trackSecrets(secret)
  const confirmed = await b.post('/auth/mfa/totp/confirm', { code: createTotpCode(secret, clock) })
  expect(confirmed.status).toBe(200)
  const { recoveryCodes } = confirmed.body as { recoveryCodes: string[] }
  trackSecrets(...recoveryCodes)
  clock.advance(30_000)
  return { secret, recoveryCodes }
}

/** A browser signed in with a password, with TOTP enrolled, signed out again: ready for an MFA sign-in. */
export async function enrolledUser(app: Parameters<typeof browser>[0], clock: TestClock, email = 'alice@example.com', password = 'alice-password') {
  const setup = browser(app)
  expect((await setup.login(email, password)).status).toBe(200)
  const enrolled = await enrollTotp(setup, clock)
  expect((await setup.post('/auth/logout')).status).toBe(204)
  return enrolled
}

/** The `Set-Cookie` line of one cookie in a response, or `undefined`. */
export const cookieLine = (res: { headers: Record<string, unknown> }, name: string) => setCookies(res).find((line) => line.startsWith(`${name}=`))

/** The names of the cookies a response sets (not clears). */
export const cookiesSet = (res: { headers: Record<string, unknown> }) =>
  setCookies(res)
    .filter((line) => !/max-age=0/i.test(line))
    .map((line) => line.slice(0, line.indexOf('=')))
