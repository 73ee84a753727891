import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

// The operator's views, checked the same way on apps/demo and apps/next-demo: the admin page's
// health panel and `GET /metrics` (both from the app's own OpenTelemetry metrics).

/**
 * On the admin page: the health panel draws its charts, and since sign-ins happened in the last
 * minute its latency line has a value and sessions are active. Saves the panel's screenshot as
 * `admin-health.png` under `results`.
 */
export async function expectHealthPanel(page: Page, results: string): Promise<void> {
  const panel = page.getByTestId('health-panel')
  await panel.locator('svg').first().waitFor()
  await page.waitForFunction(() => {
    const p50 = document.querySelector('[data-testid="health-p50"]')?.textContent ?? '–'
    const sessions = Number(document.querySelector('[data-testid="health-sessions"]')?.textContent ?? '0')
    return p50 !== '–' && Number(p50) > 0 && sessions > 0
  }, undefined, { timeout: 10_000 })
  expect(await panel.locator('polyline').count()).toBeGreaterThanOrEqual(5)
  mkdirSync(join(results, 'screenshots'), { recursive: true })
  await panel.screenshot({ path: join(results, 'screenshots', 'admin-health.png') })
}

/** The lifecycle counters the shared flows exercise (sign-in, devices, sign-out, the BFF, a key rotation). */
const lifecycleSeries = {
  'sign-ins (success)': 'acme_auth_sign_in_attempts_total{outcome="success"}',
  'sessions created': 'acme_auth_sessions_created_total',
  'sessions ended: logout': 'acme_auth_sessions_ended_total{reason="logout"}',
  'sessions ended: device': 'acme_auth_sessions_ended_total{reason="device"}',
  'sessions ended: logout_all': 'acme_auth_sessions_ended_total{reason="logout_all"}',
  'BFF upstream 2xx': 'acme_auth_bff_upstream_requests_total{outcome="2xx"}',
  'BFF upstream 4xx': 'acme_auth_bff_upstream_requests_total{outcome="4xx"}',
  'key rotations': 'acme_auth_key_rotations_total{kind="scheduled"}',
  'session store operations': 'acme_auth_store_duration_count{store="session",outcome="ok"}',
} as const

/**
 * Fetched from the signed-in admin's page: `/metrics` counts each lifecycle event above at least
 * once, and no label of any series names a user, an address or a token.
 */
export async function expectLifecycleCounters(page: Page): Promise<Record<keyof typeof lifecycleSeries, number>> {
  const answer = await page.evaluate(async () => {
    const response = await fetch('/metrics')
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() }
  })
  expect(answer.status).toBe(200)
  expect(answer.type).toMatch(/^text\/plain/)
  const value = (series: string) => {
    const line = answer.text.split('\n').find((l) => l.startsWith(`${series} `))
    return line === undefined ? 0 : Number(line.slice(series.length + 1).split(' ')[0])
  }
  const counters = Object.fromEntries(Object.entries(lifecycleSeries).map(([name, series]) => [name, value(series)])) as Record<keyof typeof lifecycleSeries, number>
  for (const [name, count] of Object.entries(counters)) expect(count, name).toBeGreaterThan(0)
  for (const line of answer.text.split('\n').filter((l) => l.startsWith('acme_auth_'))) expect(line).not.toMatch(/@|u-alice|u-bob|eyJ/)
  return counters
}
