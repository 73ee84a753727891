import { metrics } from '@opentelemetry/api'
import type { Express } from 'express'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js'

let prometheus: PrometheusMetrics | undefined
afterEach(async () => {
  await prometheus?.shutdown()
  prometheus = undefined
  metrics.disable() // the next test registers its own global provider
})

/** An unknown email, a wrong password and a success through POST /auth/login, then GET /metrics. */
async function signInsThenScrape(app: Express, handler: PrometheusMetrics['handler']) {
  app.get('/metrics', handler)
  expect((await browser(app).login('nobody@example.com', 'whatever-password')).status).toBe(401)
  expect((await browser(app).login('alice@example.com', 'wrong-password')).status).toBe(401)
  expect((await browser(app).login('alice@example.com', 'alice-password')).status).toBe(200)
  const res = await request(app).get('/metrics')
  expect(res.status).toBe(200)
  return res.text
}

const attempts = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('acme_auth_sign_in_attempts'))
    .sort()

describe('sign-in metrics on /metrics (Prometheus helper)', () => {
  it('one invalid_credentials outcome for an unknown email and a wrong password: /metrics does not enumerate users', async () => {
    prometheus = createPrometheusMetrics()
    const { app } = await createTestApp()
    const text = await signInsThenScrape(app, prometheus.handler)
    expect(attempts(text)).toEqual([
      expect.stringMatching(/^acme_auth_sign_in_attempts(_total)?\{outcome="invalid_credentials"\} 2$/),
      expect.stringMatching(/^acme_auth_sign_in_attempts(_total)?\{outcome="success"\} 1$/),
    ])
    expect(text).not.toMatch(/unknown_user|bad_password/)
  })

  it('records when the helper is created AFTER auth.router() (the order does not matter)', async () => {
    const { app } = await createTestApp() // auth.router() runs here, before any meter provider exists
    prometheus = createPrometheusMetrics()
    const text = await signInsThenScrape(app, prometheus.handler)
    expect(attempts(text)).toEqual([
      expect.stringMatching(/\{outcome="invalid_credentials"\} 2$/),
      expect.stringMatching(/\{outcome="success"\} 1$/),
    ])
    expect(text).toMatch(/acme_auth_sign_in_duration(_seconds)?_count\{outcome="success"\} 1/)
  })

  it('counts rate-limit rejections by limit', async () => {
    const { app } = await createTestApp({ nativeClients: true, limits: { tokenRoutes: { maxRequests: 1 } } })
    prometheus = createPrometheusMetrics()
    app.get('/metrics', prometheus.handler)
    for (let i = 0; i < 3; i++) await request(app).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' })
    const text = (await request(app).get('/metrics')).text
    expect(text).toMatch(/acme_auth_rate_limit_rejections(_total)?\{limit="token"\} 2/)
  })
})
