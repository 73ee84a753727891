import { readFileSync } from 'node:fs'
import { metrics } from '@opentelemetry/api'
import { trackSecrets } from '@acme/auth-testing'
import request from 'supertest'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { testHasher } from '../../test/fixtures.js'
import { createApp } from '../../test/quick-start/accounts-app.js'
import { createPrometheusMetrics } from '../prometheus/prometheus-metrics.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const origin = 'http://localhost:3000'
process.env.AUTH_SECRET ??= 'quick-start-secret-that-is-long-enough-0123456789'
const prometheus = createPrometheusMetrics()

afterAll(async () => {
  await prometheus.shutdown()
  metrics.disable()
})

/** A browser on the quick-start app: cookies, Origin and the CSRF header. */
function client(app: ReturnType<typeof createApp>['app']) {
  const jar = new Map<string, string>()
  let csrf = ''
  const send = async (method: 'get' | 'post', path: string, body?: object) => {
    let req = request(app)[method](path).set('origin', origin).set('x-csrf-token', csrf)
    if (jar.size) req = req.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await (body ? req.send(body) : req)
    for (const line of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair] = line.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (/Max-Age=0/.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    if (typeof (res.body as { csrfToken?: unknown }).csrfToken === 'string') csrf = (res.body as { csrfToken: string }).csrfToken
    return res
  }
  return { get: (path: string) => send('get', path), post: (path: string, body?: object) => send('post', path, body) }
}

describe('the README accounts example', () => {
  it('is in the README word for word', () => {
    const source = readFileSync(new URL('../../test/quick-start/accounts-app.ts', import.meta.url), 'utf8').trim()
    expect(readme).toContain(source)
  })

  it('sign up → mail in the outbox → verify (signed in) → forgot → reset → sign in with the new password; the funnels are counted', async () => {
    const { app, outbox } = createApp(testHasher())
    trackSecrets('first passphrase', 'second passphrase')
    const browser = client(app)
    await browser.get('/auth/csrf')
    expect((await browser.post('/auth/signup', { email: 'ada@example.com', password: 'first passphrase', name: 'Ada' })).status).toBe(202)
    const mail = await vi.waitFor(() => outbox.latest('ada@example.com') ?? Promise.reject(new Error('no mail yet')))
    const token = new URL(mail.links[0]!).searchParams.get('token')!
    const verified = await browser.post('/auth/email/verify', { token })
    expect(verified.body).toMatchObject({ user: { email: 'ada@example.com', name: 'Ada' } })
    expect((await browser.get('/auth/session')).body).toMatchObject({ user: { email: 'ada@example.com' } })

    outbox.clear()
    expect((await browser.post('/auth/password/forgot', { email: 'ada@example.com' })).status).toBe(202)
    const reset = await vi.waitFor(() => outbox.latest('ada@example.com') ?? Promise.reject(new Error('no mail yet')))
    const resetToken = new URL(reset.links[0]!).searchParams.get('token')!
    expect((await browser.post('/auth/password/reset', { token: resetToken, password: 'second passphrase' })).status).toBe(204)
    expect((await browser.get('/auth/session')).body).toEqual({ user: null }) // every session ended
    await browser.get('/auth/csrf')
    expect((await browser.post('/auth/login', { email: 'ada@example.com', password: 'second passphrase' })).status).toBe(200)

    const exposition = await (await prometheus.response()).text()
    for (const [flow, stage] of [['email_verification', 'started'], ['email_verification', 'completed'], ['password_reset', 'started'], ['password_reset', 'completed']]) {
      expect(exposition).toMatch(new RegExp(`acme_auth_account_flow_events(_total)?\\{[^}]*flow="${flow}"[^}]*stage="${stage}"[^}]*\\} 1`))
    }
  })
})
