import { AUTH_METRIC_NAMES, createKeyRing, MemoryKeyStore } from '@acme/auth-core'
import { createRecordingAuditSink, createSoftwareAuthenticator, startFakeUpstream } from '@acme/auth-testing'
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import { metrics } from '@opentelemetry/api'
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, createTestApp, origin } from '../../test/fixtures.js'
import { createMfaApp } from '../../test/mfa-helpers.js'
import { startLocalIssuer } from '../../test/local-issuer.js'
import { createAccountsApp, settle } from '../../test/accounts-app.js'

// Every lifecycle metric, recorded by the real path that causes it (routes driven over HTTP),
// read back from an in-memory reader on the global meter provider — registered AFTER the code
// under test created its recorders, as an app that sets up its exporter late would.
class InMemoryReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve()
  }
}

type Point = { attributes: Record<string, unknown>; value: unknown }
let reader: InMemoryReader
let provider: MeterProvider
const seenLabels = new Set<string>()

async function read(): Promise<Map<string, Point[]>> {
  const { resourceMetrics } = await reader.collect()
  return byName(resourceMetrics)
}
function byName(resourceMetrics: ResourceMetrics) {
  const out = new Map<string, Point[]>()
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value }))
      for (const point of points) for (const value of Object.values(point.attributes)) seenLabels.add(String(value))
      out.set(metric.descriptor.name, points)
    }
  }
  return out
}
const sum = (points: Point[] | undefined, key: string, value: string) =>
  points?.filter((p) => p.attributes[key] === value).reduce((total, p) => total + (p.value as number), 0) ?? 0
const histogramCount = (points: Point[] | undefined, match: Record<string, string>) =>
  points
    ?.filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((total, p) => total + (p.value as { count: number }).count, 0) ?? 0

beforeAll(() => {
  reader = new InMemoryReader()
  provider = new MeterProvider({ readers: [reader] })
})
afterAll(async () => {
  metrics.disable()
  await provider.shutdown()
})

describe('lifecycle metrics through the real paths', () => {
  it('sessions created and ended by reason: logout, device, logout-all, replaced; store latency by store', async () => {
    const { app } = await createTestApp()
    metrics.setGlobalMeterProvider(provider) // after createAuth: the order does not matter
    const before = await read()
    const phone = browser(app)
    const laptop = browser(app)
    await phone.login('bob@example.com', 'bob-password')
    await laptop.login('bob@example.com', 'bob-password')
    await laptop.login('bob@example.com', 'bob-password') // replaces laptop's session
    const list = (await laptop.get('/auth/sessions')).body as { id: string; current: boolean }[]
    const removed = await laptop.delete(`/auth/sessions/${list.find((s) => !s.current)!.id}`)
    expect(removed.status, JSON.stringify(removed.body)).toBe(204) // the phone's
    await phone.fetchCsrf() // its token was bound to the session that just ended
    await phone.login('bob@example.com', 'bob-password')
    expect((await phone.post('/auth/logout')).status).toBe(204)
    await phone.fetchCsrf()
    await phone.login('bob@example.com', 'bob-password')
    expect((await phone.post('/auth/logout-all')).status).toBe(204)
    const after = await read()
    const delta = (reason: string) => sum(after.get(AUTH_METRIC_NAMES.sessionsEnded), 'reason', reason) - sum(before.get(AUTH_METRIC_NAMES.sessionsEnded), 'reason', reason)
    expect(delta('replaced')).toBe(1)
    expect(delta('device')).toBe(1)
    expect(delta('logout')).toBe(1)
    expect(delta('logout_all')).toBe(2) // the phone's and the laptop's
    const created = (after.get(AUTH_METRIC_NAMES.sessionsCreated)?.[0]?.value as number) - ((before.get(AUTH_METRIC_NAMES.sessionsCreated)?.[0]?.value as number | undefined) ?? 0)
    expect(created).toBe(5)
    expect(histogramCount(after.get(AUTH_METRIC_NAMES.storeDuration), { store: 'session', outcome: 'ok' })).toBeGreaterThan(0)
  })

  it('refresh outcomes and latency: rotated, then reuse_detected (which ends the session, reason reuse_detected)', async () => {
    const { app } = await createTestApp({ strategy: 'token' })
    metrics.setGlobalMeterProvider(provider)
    const before = await read()
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const stolen = bob.cookie('__Secure-refresh')!
    expect((await bob.post('/auth/refresh')).status).toBe(204)
    bob.jar.set('__Secure-refresh', { value: stolen, path: '/auth' })
    await new Promise((resolve) => setTimeout(resolve, 10))
    // Past the grace window the old token is a reuse; inside it, a replay. Either way it is counted.
    const again = await bob.post('/auth/refresh')
    const after = await read()
    const refreshes = (outcome: string) => sum(after.get(AUTH_METRIC_NAMES.refreshes), 'outcome', outcome) - sum(before.get(AUTH_METRIC_NAMES.refreshes), 'outcome', outcome)
    expect(refreshes('rotated')).toBe(1)
    expect(refreshes('grace_replay') + refreshes('reuse_detected')).toBe(1)
    expect(again.status === 204 ? refreshes('grace_replay') : refreshes('reuse_detected')).toBe(1)
    expect(histogramCount(after.get(AUTH_METRIC_NAMES.refreshDuration), { outcome: 'rotated' })).toBeGreaterThan(0)
    expect(histogramCount(after.get(AUTH_METRIC_NAMES.storeDuration), { store: 'refresh', outcome: 'ok' })).toBeGreaterThan(0)
  })

  it('CSRF rejections by the check that failed', async () => {
    const { app } = await createTestApp()
    metrics.setGlobalMeterProvider(provider)
    const before = await read()
    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    expect((await bob.raw('post', '/auth/logout').set('sec-fetch-site', 'cross-site')).status).toBe(403)
    expect((await bob.raw('post', '/auth/logout').unset('x-csrf-token')).status).toBe(403)
    const after = await read()
    const rejected = (check: string) => sum(after.get(AUTH_METRIC_NAMES.csrfRejections), 'check', check) - sum(before.get(AUTH_METRIC_NAMES.csrfRejections), 'check', check)
    expect(rejected('cross-site')).toBe(1)
    expect(rejected('missing-token')).toBe(1)
  })

  it('BFF upstream requests by class and latency; a dead upstream counts as error', async () => {
    const issuer = await startLocalIssuer()
    const upstream = await startFakeUpstream({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience })
    const { app, auth } = await createTestApp()
    const bff = auth.bff({ upstream: upstream.url, tokens: issuer.source, timeoutMs: 1_000 })
    app.use(bff)
    metrics.setGlobalMeterProvider(provider)
    try {
      const before = await read()
      const alice = browser(app)
      await alice.login('alice@example.com', 'alice-password')
      expect((await alice.get('/api/notes')).status).toBe(200)
      upstream.behaveNext({ kind: 'status', status: 404 })
      expect((await alice.get('/api/missing')).status).toBe(404)
      await upstream.stop()
      expect((await alice.get('/api/notes')).status).toBe(502)
      const after = await read()
      const requests = (outcome: string) => sum(after.get(AUTH_METRIC_NAMES.bffUpstreamRequests), 'outcome', outcome) - sum(before.get(AUTH_METRIC_NAMES.bffUpstreamRequests), 'outcome', outcome)
      expect(requests('2xx')).toBe(1)
      expect(requests('4xx')).toBe(1)
      expect(requests('error')).toBe(1)
      expect(histogramCount(after.get(AUTH_METRIC_NAMES.bffUpstreamDuration), { outcome: '2xx' })).toBeGreaterThan(0)
    } finally {
      await bff.close()
      await issuer.close()
    }
  })

  it('key rotations by kind, and JWKS fetches of a remote verifier by outcome', async () => {
    const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'metrics-test-key-secret-0123456789' })
    await keyRing.ready()
    const { app } = await createTestApp({ tokens: true })
    metrics.setGlobalMeterProvider(provider)
    const before = await read()
    await keyRing.rotate()
    await keyRing.rotate({ compromised: true })
    const { requireAccessToken } = await import('../index.js')
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const { port } = server.address() as { port: number }
      app.get('/.well-known/jwks.json', (_req, res) => res.status(503).end())
      const guard = requireAccessToken({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer: 'https://app.example.com', audience: 'x' })
      const api = (await import('express')).default()
      api.get('/x', guard, (_req, res) => res.end())
      await request(api).get('/x').set('authorization', 'Bearer eyJhbGciOiJFZERTQSIsImtpZCI6Im5vbmUifQ.eyJzdWIiOiJ4In0.c2ln')
    } finally {
      server.close()
    }
    const after = await read()
    const rotations = (kind: string) => sum(after.get(AUTH_METRIC_NAMES.keyRotations), 'kind', kind) - sum(before.get(AUTH_METRIC_NAMES.keyRotations), 'kind', kind)
    expect(rotations('compromised')).toBe(1)
    expect(rotations('scheduled')).toBeGreaterThanOrEqual(1)
    expect(sum(after.get(AUTH_METRIC_NAMES.jwksFetches), 'outcome', 'error') - sum(before.get(AUTH_METRIC_NAMES.jwksFetches), 'outcome', 'error')).toBe(1)
  })

  it('account mail sent, by kind and outcome (a mailer that refuses counts as error)', async () => {
    const { app } = await createAccountsApp()
    metrics.setGlobalMeterProvider(provider)
    const before = await read()
    const client = browser(app)
    await client.fetchCsrf()
    expect((await client.post('/auth/password/forgot', { email: 'alice@example.com' })).status).toBe(202)
    const refusing = await createAccountsApp({ mailer: { send: () => Promise.reject(new Error('SMTP down')) } })
    const other = browser(refusing.app)
    await other.fetchCsrf()
    expect((await other.post('/auth/password/forgot', { email: 'bob@example.com' })).status).toBe(202)
    await settle()
    const after = await read()
    const sent = (outcome: string) =>
      (after.get(AUTH_METRIC_NAMES.mailSent) ?? []).filter((p) => p.attributes.kind === 'reset' && p.attributes.outcome === outcome).reduce((t, p) => t + (p.value as number), 0) -
      (before.get(AUTH_METRIC_NAMES.mailSent) ?? []).filter((p) => p.attributes.kind === 'reset' && p.attributes.outcome === outcome).reduce((t, p) => t + (p.value as number), 0)
    expect(sent('ok')).toBe(1)
    expect(sent('error')).toBe(1)
  })

  it('passkeys as second factors, metrics and audit events: enrolled, answered (success, invalid) and removed', async () => {
    const audit = createRecordingAuditSink()
    const { app } = await createMfaApp({ audit })
    metrics.setGlobalMeterProvider(provider)
    const before = await read()
    const authenticator = createSoftwareAuthenticator({ origin })
    const owner = browser(app)
    await owner.login('alice@example.com', 'alice-password')
    const creation = (await owner.post('/auth/passkeys/register/options')).body as PublicKeyCredentialCreationOptionsJSON
    expect((await owner.post('/auth/passkeys', authenticator.register(creation))).status).toBe(201)
    const answer = async (forge: boolean) => {
      const b = browser(app)
      expect((await b.login('alice@example.com', 'alice-password')).body).toMatchObject({ mfaRequired: true })
      const options = (await b.post('/auth/passkeys/login/options')).body as PublicKeyCredentialRequestOptionsJSON
      return (await b.post('/auth/passkeys/login', authenticator.authenticate(options, { forge }))).status
    }
    expect(await answer(true)).toBe(401)
    expect(await answer(false)).toBe(200)
    expect((await owner.delete(`/auth/passkeys/${authenticator.credentials[0]!.id}`)).status).toBe(204)
    const after = await read()
    const delta = (name: string, key: string, value: string) =>
      sum(after.get(name)?.filter((p) => p.attributes.method === 'passkey'), key, value) - sum(before.get(name)?.filter((p) => p.attributes.method === 'passkey'), key, value)
    expect(delta(AUTH_METRIC_NAMES.mfaEnrollments, 'change', 'enrolled')).toBe(1)
    expect(delta(AUTH_METRIC_NAMES.mfaEnrollments, 'change', 'removed')).toBe(1)
    expect(delta(AUTH_METRIC_NAMES.mfaVerifications, 'outcome', 'success')).toBe(1)
    expect(delta(AUTH_METRIC_NAMES.mfaVerifications, 'outcome', 'invalid')).toBe(1)
    const passkeyEvents = audit.events.filter((event) => event.type.startsWith('MFA_') && (event.data as { method?: string } | undefined)?.method === 'passkey')
    expect(passkeyEvents.map((event) => [event.type, event.reason])).toEqual([
      ['MFA_ENROLLED', undefined],
      ['MFA_FAILED', 'invalid'],
      ['MFA_VERIFIED', undefined],
      ['MFA_REMOVED', undefined],
    ])
  })

  it('no label value of this whole run looks like an email, a token, an IP or a session id', async () => {
    await read()
    expect(seenLabels.size).toBeGreaterThan(5)
    for (const value of seenLabels) {
      expect(value, value).not.toMatch(/@/)
      expect(value, value).not.toMatch(/^\d{1,3}(\.\d{1,3}){3}$|:.*:/)
      expect(value, value).not.toMatch(/^[A-Za-z0-9_-]{20,}$|\./)
      expect(value.length, value).toBeLessThanOrEqual(24)
    }
  })
})
