import { DataPointType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics'
import { metrics as otel } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { createPasswordSignIn } from '../passwords/password-sign-in.js'
import { createPasswordVerifier } from '../passwords/password-verifier.js'
import { createLoginLimiter } from '../rate-limit/login-limiter.js'
import { AUTH_METRIC_NAMES, createAuthMetrics } from './auth-metrics.js'
import { createTestClock, createTotpCode, TEST_KEY_SECRET, trackSecrets } from '@acme/auth-testing'
import { createFactorLimiter } from '../factors/factor-limiter.js'
import { MemorySecondFactorStore } from '../factors/memory-second-factor-store.js'
import { createRecoveryCodes } from '../factors/recovery-codes.js'
import { createTotp } from '../factors/totp.js'

class InMemoryReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve()
  }
}

function setup() {
  const reader = new InMemoryReader()
  const provider = new MeterProvider({ readers: [reader] })
  const metrics = createAuthMetrics(provider.getMeter('test'))
  const read = async () => {
    const { resourceMetrics } = await reader.collect()
    return byName(resourceMetrics)
  }
  return { metrics, read }
}

function byName(resourceMetrics: ResourceMetrics) {
  const out = new Map<string, { type: DataPointType; points: { attributes: Record<string, unknown>; value: unknown }[] }>()
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      out.set(metric.descriptor.name, {
        type: metric.dataPointType,
        points: metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
      })
    }
  }
  return out
}

const sumOf = (metric: { points: { attributes: Record<string, unknown>; value: unknown }[] } | undefined, key: string, value: string) =>
  metric?.points.find((p) => p.attributes[key] === value)?.value

describe('createAuthMetrics (in-memory OpenTelemetry reader)', () => {
  it('counts second-factor enrollments and answers by method and outcome, through TOTP and recovery codes', async () => {
    const { metrics, read } = setup()
    const clock = createTestClock()
    const store = new MemorySecondFactorStore()
    const limiter = createFactorLimiter({ clock, maxAttempts: 3 }) // the replay is a strike too
    const totp = createTotp({ store, secret: TEST_KEY_SECRET, issuer: 'Acme', clock, limiter, metrics })
    const recoveryCodes = createRecoveryCodes({ store, clock, limiter, metrics })
    const { secret } = (await totp.enroll('u-1', 'u-1@example.com'))!
    trackSecrets(secret)
    const code = createTotpCode(secret, clock)
    await totp.confirm('u-1', code)
    await totp.verify('u-1', code) // replayed
    const [recovery] = await recoveryCodes.generate('u-1')
    trackSecrets(recovery!)
    await recoveryCodes.consume('u-1', recovery)
    await totp.verify('u-1', '000000')
    await totp.verify('u-1', '000000') // the third strike
    await totp.verify('u-1', '000000') // refused
    await totp.remove('u-1')
    const m = await read()
    const answers = m.get(AUTH_METRIC_NAMES.mfaVerifications)?.points.map((p) => [p.attributes.method, p.attributes.outcome, p.value])
    expect(answers?.sort()).toEqual([
      ['recovery', 'success', 1],
      ['totp', 'invalid', 2],
      ['totp', 'rate_limited', 1],
      ['totp', 'replayed', 1],
      ['totp', 'success', 1],
    ])
    const enrollments = m.get(AUTH_METRIC_NAMES.mfaEnrollments)?.points.map((p) => [p.attributes.method, p.attributes.change, p.value])
    expect(enrollments?.sort()).toEqual([['totp', 'enrolled', 1], ['totp', 'removed', 1]])
    expect(sumOf(m.get(AUTH_METRIC_NAMES.rateLimitRejections), 'limit', 'mfa')).toBe(1)
  })

  it('counts refresh outcomes, revocations, rate-limit rejections and key rotations', async () => {
    const { metrics, read } = setup()
    metrics.refresh('rotated')
    metrics.refresh('rotated')
    metrics.refresh('reuse_detected')
    metrics.refresh('expired')
    metrics.refresh('error')
    metrics.revocation('all_sessions', 3)
    metrics.revocation('refresh_family')
    metrics.rateLimitRejection('ip')
    metrics.keyRotation()
    const m = await read()
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'rotated')).toBe(2)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'reuse_detected')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'expired')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'error')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.revocations), 'kind', 'all_sessions')).toBe(3)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.rateLimitRejections), 'limit', 'ip')).toBe(1)
    expect(m.get(AUTH_METRIC_NAMES.keyRotations)?.points[0]?.value).toBe(1)
  })

  it('counts account flows by flow and stage (the reset and verification funnels)', async () => {
    const { metrics, read } = setup()
    metrics.accountFlow('password_reset', 'started')
    metrics.accountFlow('password_reset', 'started')
    metrics.accountFlow('password_reset', 'completed')
    metrics.accountFlow('email_verification', 'started')
    const points = (await read()).get(AUTH_METRIC_NAMES.accountFlows)?.points ?? []
    const count = (flow: string, stage: string) => points.find((p) => p.attributes.flow === flow && p.attributes.stage === stage)?.value
    expect(count('password_reset', 'started')).toBe(2)
    expect(count('password_reset', 'completed')).toBe(1)
    expect(count('email_verification', 'started')).toBe(1)
    expect(count('email_verification', 'completed')).toBeUndefined()
  })

  it('records sign-in attempts by outcome and their latency through the real sign-in path', async () => {
    const { metrics, read } = setup()
    const hasher = createArgon2idHasher({ memoryCost: 1024, timeCost: 1 })
    const passwordHash = await hasher.hash('right password')
    const signIn = createPasswordSignIn({
      users: { find: (login) => Promise.resolve(login === 'a@x.test' ? { id: 'a', passwordHash } : null), saveHash: () => Promise.resolve() },
      verifier: createPasswordVerifier({ hasher }),
      limiter: createLoginLimiter({ store: 'memory', account: { maxAttempts: 2 } }),
      metrics,
    })
    await signIn.signIn({ login: 'a@x.test', password: 'right password' })
    await signIn.signIn({ login: 'nobody@x.test', password: 'whatever1' })
    await signIn.signIn({ login: 'a@x.test', password: 'wrong password' })
    await signIn.signIn({ login: 'a@x.test', password: 'wrong password' })
    await signIn.signIn({ login: 'a@x.test', password: 'wrong password' }) // locked
    const m = await read()
    const attempts = m.get(AUTH_METRIC_NAMES.signInAttempts)
    expect(sumOf(attempts, 'outcome', 'success')).toBe(1)
    // An unknown email and a wrong password are one outcome: the metric must not enumerate users.
    expect(sumOf(attempts, 'outcome', 'invalid_credentials')).toBe(3)
    expect(attempts?.points.map((p) => p.attributes.outcome).sort()).toEqual(['invalid_credentials', 'locked', 'success'])
    expect(sumOf(attempts, 'outcome', 'locked')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.rateLimitRejections), 'limit', 'account')).toBe(1)
    const latency = m.get(AUTH_METRIC_NAMES.signInDuration)
    expect(latency?.type).toBe(DataPointType.HISTOGRAM)
    const success = latency?.points.find((p) => p.attributes.outcome === 'success')?.value as { count: number; sum: number }
    expect(success.count).toBe(1)
    expect(success.sum).toBeGreaterThan(0)
  })

  it('is a no-op without an SDK (the default global meter)', () => {
    expect(() => createAuthMetrics().signIn('success', 12)).not.toThrow()
  })

  it('follows the global meter provider: one registered after createAuthMetrics() receives the records', async () => {
    const authMetrics = createAuthMetrics()
    authMetrics.signIn('success', 5) // no provider yet: dropped
    const reader = new InMemoryReader()
    const provider = new MeterProvider({ readers: [reader] })
    expect(otel.setGlobalMeterProvider(provider)).toBe(true)
    try {
      authMetrics.signIn('bad_password', 5)
      authMetrics.rateLimitRejection('oauth_start')
      const m = byName((await reader.collect()).resourceMetrics)
      expect(m.get(AUTH_METRIC_NAMES.signInAttempts)?.points).toEqual([{ attributes: { outcome: 'invalid_credentials' }, value: 1 }])
      expect(sumOf(m.get(AUTH_METRIC_NAMES.rateLimitRejections), 'limit', 'oauth_start')).toBe(1)
    } finally {
      otel.disable()
      await provider.shutdown()
    }
  })
})
