import { createAuthMetrics } from '@acme/auth-core'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { describe, expect, it } from 'vitest'
import { createHealthSampler } from './health-sampler.js'

class Reader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve()
  }
}

describe('the admin health panel sampler', () => {
  it('turns the app’s own counters and histogram into per-minute rates, latency percentiles and active sessions', async () => {
    const reader = new Reader()
    const provider = new MeterProvider({ readers: [reader] })
    const metrics = createAuthMetrics(provider.getMeter('test'))
    const sampler = createHealthSampler(async () => (await reader.collect()).resourceMetrics, { intervalMs: 50, keep: 10 })
    try {
      await new Promise((resolve) => setTimeout(resolve, 20)) // the first sample: all zero
      for (let i = 0; i < 9; i++) metrics.signIn('success', 40)
      metrics.signIn('success', 900)
      metrics.signIn('invalid_credentials', 45)
      metrics.refresh('rotated', 2)
      metrics.refresh('reuse_detected', 2)
      for (let i = 0; i < 3; i++) metrics.sessionCreated()
      metrics.sessionEnded('logout')
      metrics.bffUpstream('5xx', 10)
      await new Promise((resolve) => setTimeout(resolve, 80))
      const { points, sampledEverySeconds } = sampler.series()
      expect(sampledEverySeconds).toBe(0.05)
      const last = points.at(-1)!
      const first = points[0]!
      expect(first.signInsPerMinute).toEqual({ success: 0, failure: 0 })
      // 10 sign-ins within ~50 ms is a high rate per minute; the point is that it is not zero.
      const busy = points.find((p) => p.signInsPerMinute.success > 0)!
      expect(busy.signInsPerMinute.failure).toBeGreaterThan(0)
      expect(busy.signInLatencyMs.p50).toBe(50) // 40 ms falls in the ≤ 50 ms bucket
      expect(busy.signInLatencyMs.p95).toBe(1000) // 900 ms falls in the ≤ 1 s bucket
      expect(busy.refreshesPerMinute).toBeGreaterThan(0)
      expect(busy.bffErrorsPerMinute).toBeGreaterThan(0)
      expect(last.reuseDetections).toBe(1)
      expect(last.activeSessions).toBe(2)
      expect(points.length).toBeLessThanOrEqual(10)
    } finally {
      sampler.stop()
      await provider.shutdown()
    }
  })
})
