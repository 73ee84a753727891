import { metrics, type Attributes, type Meter } from '@opentelemetry/api'
import type { LoginFailureReason } from '../audit/audit-event.js'
import type { LoginLimit } from '../rate-limit/login-limiter.js'

/** How a sign-in attempt ended. */
export type SignInOutcome = 'success' | LoginFailureReason
/** How a refresh-token presentation ended. */
export type RefreshOutcome = 'rotated' | 'reused' | 'expired' | 'error'
/** What was revoked. */
export type RevocationKind = 'session' | 'all_sessions' | 'refresh_family' | 'password_reset'

/** Typed recorders over OpenTelemetry instruments. Attributes are low-cardinality enums only. */
export interface AuthMetrics {
  /** One sign-in attempt: counts it by outcome and records its duration. */
  signIn(outcome: SignInOutcome, durationMs: number): void
  /** One refresh-token presentation. */
  refresh(outcome: RefreshOutcome): void
  /** Revocations (`count` sessions or families at once). @default count 1 */
  revocation(kind: RevocationKind, count?: number): void
  /** A request refused by a rate limit. */
  rateLimitRejection(limit: LoginLimit): void
  /** A signing-key rotation. */
  keyRotation(): void
}

/** Instrument names, for dashboards and tests. */
export const AUTH_METRIC_NAMES = Object.freeze({
  signInAttempts: 'acme.auth.sign_in.attempts',
  signInDuration: 'acme.auth.sign_in.duration',
  refreshes: 'acme.auth.refresh.outcomes',
  revocations: 'acme.auth.revocations',
  rateLimitRejections: 'acme.auth.rate_limit.rejections',
  keyRotations: 'acme.auth.key.rotations',
})

/**
 * Counters and a histogram through `@opentelemetry/api`. Until the app installs an OpenTelemetry
 * SDK the API is a no-op, so this costs nothing and the app picks any exporter (Prometheus, OTLP).
 *
 * @default meter metrics.getMeter('@acme/auth-core')
 * @example
 * ```ts
 * import { createAuthMetrics } from '@acme/auth-core'
 *
 * const authMetrics = createAuthMetrics()
 * authMetrics.signIn('bad_password', 212)
 * authMetrics.refresh('rotated')
 * ```
 */
export function createAuthMetrics(meter: Meter = metrics.getMeter('@acme/auth-core')): AuthMetrics {
  if (typeof meter !== 'object' || meter === null || typeof meter.createCounter !== 'function') {
    throw new TypeError('meter must be an OpenTelemetry Meter')
  }
  const attempts = meter.createCounter(AUTH_METRIC_NAMES.signInAttempts, { description: 'Sign-in attempts by outcome' })
  const duration = meter.createHistogram(AUTH_METRIC_NAMES.signInDuration, {
    description: 'Sign-in duration, password hashing included',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  })
  const refreshes = meter.createCounter(AUTH_METRIC_NAMES.refreshes, { description: 'Refresh-token outcomes' })
  const revocations = meter.createCounter(AUTH_METRIC_NAMES.revocations, { description: 'Revoked sessions and refresh families' })
  const rejections = meter.createCounter(AUTH_METRIC_NAMES.rateLimitRejections, { description: 'Requests refused by a rate limit' })
  const rotations = meter.createCounter(AUTH_METRIC_NAMES.keyRotations, { description: 'Signing-key rotations' })
  const attrs = (key: string, value: string): Attributes => ({ [key]: value })

  return Object.freeze({
    signIn(outcome: SignInOutcome, durationMs: number) {
      attempts.add(1, attrs('outcome', outcome))
      if (Number.isFinite(durationMs) && durationMs >= 0) duration.record(durationMs / 1000, attrs('outcome', outcome))
    },
    refresh(outcome: RefreshOutcome) {
      refreshes.add(1, attrs('outcome', outcome))
    },
    revocation(kind: RevocationKind, count = 1) {
      if (count > 0) revocations.add(count, attrs('kind', kind))
    },
    rateLimitRejection(limit: LoginLimit) {
      rejections.add(1, attrs('limit', limit))
    },
    keyRotation() {
      rotations.add(1)
    },
  })
}
