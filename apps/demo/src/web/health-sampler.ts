import { AUTH_METRIC_NAMES } from '@acme/auth-core'
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics'
import type { HealthPoint, HealthSeries } from '../shared/page-state.js'

type Attributes = Record<string, unknown>
interface HistogramValue {
  buckets: { boundaries: number[]; counts: number[] }
  count: number
}

/** The cumulative numbers one sample needs, read from the app's own OpenTelemetry data. */
interface Totals {
  at: number
  signInSuccess: number
  signInFailure: number
  refreshes: number
  reuse: number
  created: number
  ended: number
  bffErrors: number
  /** Sign-in latency histogram, all outcomes: boundaries (s) and cumulative counts per bucket. */
  latency: { boundaries: number[]; counts: number[] }
}

function pointsOf(metrics: ResourceMetrics, name: string): { attributes: Attributes; value: unknown }[] {
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name === name) return metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value }))
    }
  }
  return []
}

const sum = (metrics: ResourceMetrics, name: string, keep: (attributes: Attributes) => boolean = () => true) =>
  pointsOf(metrics, name)
    .filter((p) => keep(p.attributes))
    .reduce((total, p) => total + (typeof p.value === 'number' ? p.value : 0), 0)

function totalsOf(metrics: ResourceMetrics, at: number): Totals {
  let boundaries: number[] = []
  let counts: number[] = []
  for (const point of pointsOf(metrics, AUTH_METRIC_NAMES.signInDuration)) {
    const value = point.value as HistogramValue
    boundaries = value.buckets.boundaries
    counts = value.buckets.counts.map((count, i) => count + (counts[i] ?? 0))
  }
  return {
    at,
    signInSuccess: sum(metrics, AUTH_METRIC_NAMES.signInAttempts, (a) => a.outcome === 'success'),
    signInFailure: sum(metrics, AUTH_METRIC_NAMES.signInAttempts, (a) => a.outcome !== 'success'),
    refreshes: sum(metrics, AUTH_METRIC_NAMES.refreshes, (a) => a.outcome === 'rotated' || a.outcome === 'grace_replay'),
    reuse: sum(metrics, AUTH_METRIC_NAMES.refreshes, (a) => a.outcome === 'reuse_detected'),
    created: sum(metrics, AUTH_METRIC_NAMES.sessionsCreated),
    ended: sum(metrics, AUTH_METRIC_NAMES.sessionsEnded),
    bffErrors: sum(metrics, AUTH_METRIC_NAMES.bffUpstreamRequests, (a) => a.outcome === '5xx' || a.outcome === 'error' || a.outcome === 'timeout'),
    latency: { boundaries, counts },
  }
}

/** The `q` quantile (0–1) of the bucket counts gained between two samples, in ms (a bucket's upper bound). */
function quantileMs(before: Totals | undefined, now: Totals, q: number): number | null {
  const gained = now.latency.counts.map((count, i) => count - (before?.latency.counts[i] ?? 0))
  const total = gained.reduce((a, b) => a + b, 0)
  if (total <= 0) return null
  let seen = 0
  for (let i = 0; i < gained.length; i++) {
    seen += gained[i]!
    if (seen >= q * total) {
      const bound = now.latency.boundaries[i]
      return bound === undefined ? null : Math.round(bound * 1000) // past the last boundary: unknown
    }
  }
  return null
}

/**
 * Samples the app's own metrics every `intervalMs` and keeps the last `keep` samples, for the
 * admin page's health panel. Reads what `/metrics` would serve; holds no user data, only counts.
 */
export function createHealthSampler(collect: () => Promise<ResourceMetrics>, options: { intervalMs?: number; keep?: number } = {}) {
  const intervalMs = options.intervalMs ?? 5_000
  const keep = options.keep ?? 60
  const totals: Totals[] = []
  const points: HealthPoint[] = []

  const sample = async () => {
    const now = totalsOf(await collect(), Date.now())
    const previous = totals.at(-1)
    const minuteAgo = totals.find((t) => now.at - t.at <= 60_000 + intervalMs / 2) ?? totals[0]
    totals.push(now)
    if (totals.length > keep + 1) totals.shift()
    const perMinute = (key: 'signInSuccess' | 'signInFailure' | 'refreshes' | 'bffErrors') =>
      previous ? Math.round(((now[key] - previous[key]) * 60_000) / Math.max(1, now.at - previous.at)) : 0
    points.push({
      at: new Date(now.at).toISOString(),
      signInsPerMinute: { success: perMinute('signInSuccess'), failure: perMinute('signInFailure') },
      signInLatencyMs: { p50: quantileMs(minuteAgo, now, 0.5), p95: quantileMs(minuteAgo, now, 0.95) },
      refreshesPerMinute: perMinute('refreshes'),
      reuseDetections: now.reuse,
      activeSessions: Math.max(0, now.created - now.ended),
      bffErrorsPerMinute: perMinute('bffErrors'),
    })
    if (points.length > keep) points.shift()
  }

  let running = sample().catch(() => {})
  const timer = setInterval(() => {
    running = running.then(sample).catch(() => {}) // a failed collect skips one sample
  }, intervalMs)
  timer.unref()

  return {
    series: (): HealthSeries => ({ sampledEverySeconds: intervalMs / 1000, points: [...points] }),
    stop: () => clearInterval(timer),
  }
}

export type HealthSampler = ReturnType<typeof createHealthSampler>
