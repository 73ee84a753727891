import { DataPointType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics'
import { describe, expect, it } from 'vitest'
import { createArgon2idHasher } from '../argon2/argon2id-hasher.js'
import { createPasswordSignIn } from '../passwords/password-sign-in.js'
import { createPasswordVerifier } from '../passwords/password-verifier.js'
import { createLoginLimiter } from '../rate-limit/login-limiter.js'
import { AUTH_METRIC_NAMES, createAuthMetrics } from './auth-metrics.js'

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
  it('counts refresh outcomes, revocations, rate-limit rejections and key rotations', async () => {
    const { metrics, read } = setup()
    metrics.refresh('rotated')
    metrics.refresh('rotated')
    metrics.refresh('reused')
    metrics.refresh('expired')
    metrics.refresh('error')
    metrics.revocation('all_sessions', 3)
    metrics.revocation('refresh_family')
    metrics.rateLimitRejection('ip')
    metrics.keyRotation()
    const m = await read()
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'rotated')).toBe(2)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'reused')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'expired')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.refreshes), 'outcome', 'error')).toBe(1)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.revocations), 'kind', 'all_sessions')).toBe(3)
    expect(sumOf(m.get(AUTH_METRIC_NAMES.rateLimitRejections), 'limit', 'ip')).toBe(1)
    expect(m.get(AUTH_METRIC_NAMES.keyRotations)?.points[0]?.value).toBe(1)
  })

  it('records sign-in attempts by outcome and their latency through the real sign-in path', async () => {
    const { metrics, read } = setup()
    const hasher = createArgon2idHasher({ memoryCost: 1024, timeCost: 1 })
    const passwordHash = await hasher.hash('right password')
    const signIn = createPasswordSignIn({
      users: { find: (login) => Promise.resolve(login === 'a@x.test' ? { id: 'a', passwordHash } : null), saveHash: () => Promise.resolve() },
      verifier: createPasswordVerifier({ hasher }),
      limiter: createLoginLimiter({ store: 'memory', account: { freeAttempts: 2, lockAfter: 2 } }),
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
    expect(sumOf(attempts, 'outcome', 'unknown_user')).toBe(1)
    expect(sumOf(attempts, 'outcome', 'bad_password')).toBe(2)
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
})
