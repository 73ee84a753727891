import { metrics, type Attributes, type Counter, type Histogram, type Meter, type MeterProvider, type ObservableGauge } from '@opentelemetry/api'
import type { LoginFailureReason } from '../audit/audit-event.js'
import type { LoginLimit } from '../rate-limit/login-limiter.js'
import type { MailTemplates } from '../mail/mail-templates.js'

/**
 * How a sign-in attempt ended. An unknown email and a wrong password are one outcome,
 * `invalid_credentials`: a metric readable by more people than the audit log must not tell them
 * apart (the audit event keeps the reason).
 */
export type SignInOutcome = 'success' | 'invalid_credentials' | 'locked' | 'rate_limited'
/**
 * How a refresh-token presentation ended: a rotation, the grace replay of a concurrent one, a
 * reuse detected (the family revoked), an expired family, an unknown token, a family whose
 * session had ended, or a store failure.
 */
export type RefreshOutcome = 'rotated' | 'grace_replay' | 'reuse_detected' | 'expired' | 'invalid' | 'session_ended' | 'error'
/**
 * Why sessions were revoked. `admin` is the default of `sessions.revoke()` (the app, the CLI);
 * the HTTP layer names its own (`logout`, `logout_all`, `device`, `replaced` by a new sign-in,
 * `account_gone`). The `sessions.ended` metric also counts `expired`.
 */
export type RevocationReason =
  | 'logout'
  | 'logout_all'
  | 'device'
  | 'admin'
  | 'password_reset'
  | 'password_change'
  | 'reuse_detected'
  | 'account_gone'
  | 'replaced'

const sessionEndReasons = new Set<string>([
  'logout', 'logout_all', 'device', 'admin', 'password_reset', 'password_change', 'reuse_detected', 'account_gone', 'replaced', 'expired',
])

/** Which CSRF check refused a request. */
export type CsrfCheck = 'missing-token' | 'token-mismatch' | 'token-invalid' | 'cross-site' | 'origin-mismatch' | 'origin-missing' | 'duplicate-cookie'
/** A store the lifecycle talks to (for latency and errors by store). */
export type StoreName = 'session' | 'refresh' | 'keys' | 'one_time_tokens' | 'rate_limit' | 'factors'
/** The class of an upstream's answer through the BFF, or how it failed. */
export type UpstreamOutcome = '2xx' | '3xx' | '4xx' | '5xx' | 'error' | 'timeout'
/** What was revoked. */
export type RevocationKind = 'session' | 'all_sessions' | 'refresh_family' | 'password_reset'
/** Which limit refused a request: a sign-in limit, or a route's per-IP limit. */
export type RateLimitName =
  | LoginLimit
  | 'refresh'
  | 'token'
  | 'revoke'
  | 'oauth_start'
  | 'mfa'
  /** Per IP: `POST /mfa/verify` and the passkey sign-in routes. */
  | 'mfa_verify'
  | 'passkey_login_options'
  | 'passkey_login'
  /** The account routes' limits (per IP and per address). */
  | 'signup'
  | 'email_verification'
  | 'email_verify'
  | 'password_forgot'
  | 'password_reset'
  | 'password_change'
  | 'account_delete'
  | 'email_change'
  /** Wrong 6-digit codes (`accounts.tokens.format: 'code'`), per address and per IP. */
  | 'account_code'
/** An account message, as the `mail.sent` metric names it (the templates' kinds). */
export type MailKind = keyof MailTemplates

/** A store whose revocation listener feeds the session caches (Redis pub/sub, PostgreSQL LISTEN). */
export type RevocationListenerStore = 'redis' | 'postgres'

/** The account flows whose funnel is counted: started (a mail sent) vs completed (the link used). */
export type AccountFlow = 'password_reset' | 'email_verification' | 'email_change'
/** A second factor, as metrics name it. */
export type MfaMethod = 'totp' | 'recovery' | 'passkey'
/** How a second-factor answer ended (`invalid` also covers an unknown or malformed code). */
export type MfaOutcome = 'success' | 'invalid' | 'replayed' | 'not_enrolled' | 'rate_limited'

/** Typed recorders over OpenTelemetry instruments. Attributes are low-cardinality enums only. */
export interface AuthMetrics {
  /**
   * One sign-in attempt: counts it by outcome and records its duration. A failure reason
   * (`unknown_user`, `bad_password`) is recorded as `invalid_credentials`.
   */
  signIn(outcome: SignInOutcome | LoginFailureReason, durationMs: number): void
  /** One refresh-token presentation, and how long it took (store lock and minting included). */
  refresh(outcome: RefreshOutcome, durationMs?: number): void
  /** Revocations (`count` sessions or families at once). @default count 1 */
  revocation(kind: RevocationKind, count?: number): void
  /** A request refused by a rate limit. */
  rateLimitRejection(limit: RateLimitName): void
  /** A signing-key rotation (`compromised`: the emergency one that retires every other key). */
  keyRotation(kind?: 'scheduled' | 'compromised'): void
  /** A session was created. */
  sessionCreated(): void
  /** `count` sessions ended, by reason. @default count 1 */
  sessionEnded(reason: RevocationReason | 'expired', count?: number): void
  /** A JWKS fetch of a remote verifier. */
  jwksFetch(outcome: 'ok' | 'error'): void
  /** A request refused by the CSRF guard, by the check that failed. */
  csrfRejection(check: CsrfCheck): void
  /** One upstream request of the BFF: its answer's class and latency (to the response headers). */
  bffUpstream(outcome: UpstreamOutcome, durationMs: number): void
  /** One store operation: its latency and whether it failed, by store ("Redis is slow" before it is down). */
  storeOperation(store: StoreName, outcome: 'ok' | 'error', durationMs: number): void
  /** One second-factor answer (a TOTP code, a recovery code, a passkey assertion). */
  mfaVerification(method: MfaMethod, outcome: MfaOutcome): void
  /** A second factor enrolled or removed. */
  mfaEnrollment(method: MfaMethod, change: 'enrolled' | 'removed'): void
  /** An account flow started (its mail was sent) or completed (its link was used). */
  accountFlow(flow: AccountFlow, stage: 'started' | 'completed'): void
  /** A mail handed to the mailer (`ok`) or refused by it (`error`), by kind. */
  mailSent(kind: MailKind, outcome: 'ok' | 'error'): void
  /**
   * Reports a revocation listener's liveness, asked at each collection: the
   * `revocation_listener.up` gauge is 1 for a store kind while every listener of that kind
   * answers `true`, 0 while one does not (its managers bypass their caches). Returns the function
   * that stops reporting it (call it when the listener closes).
   */
  revocationListener(store: RevocationListenerStore, live: () => boolean): () => void
  /** A revocation listener that had been lost is listening again. */
  revocationListenerReconnect(store: RevocationListenerStore): void
}

/** Instrument names, for dashboards and tests. */
export const AUTH_METRIC_NAMES = Object.freeze({
  signInAttempts: 'acme.auth.sign_in.attempts',
  signInDuration: 'acme.auth.sign_in.duration',
  refreshes: 'acme.auth.refresh.outcomes',
  revocations: 'acme.auth.revocations',
  rateLimitRejections: 'acme.auth.rate_limit.rejections',
  keyRotations: 'acme.auth.key.rotations',
  refreshDuration: 'acme.auth.refresh.duration',
  sessionsCreated: 'acme.auth.sessions.created',
  sessionsEnded: 'acme.auth.sessions.ended',
  jwksFetches: 'acme.auth.jwks.fetches',
  csrfRejections: 'acme.auth.csrf.rejections',
  bffUpstreamRequests: 'acme.auth.bff.upstream.requests',
  bffUpstreamDuration: 'acme.auth.bff.upstream.duration',
  storeDuration: 'acme.auth.store.duration',
  mfaVerifications: 'acme.auth.mfa.verifications',
  mfaEnrollments: 'acme.auth.mfa.enrollments',
  accountFlows: 'acme.auth.account_flow.events',
  mailSent: 'acme.auth.mail.sent',
  revocationListenerUp: 'acme.auth.revocation_listener.up',
  revocationListenerReconnects: 'acme.auth.revocation_listener.reconnects',
})

interface Instruments {
  attempts: Counter
  duration: Histogram
  refreshes: Counter
  revocations: Counter
  rejections: Counter
  rotations: Counter
  refreshDuration: Histogram
  created: Counter
  ended: Counter
  jwks: Counter
  csrf: Counter
  upstream: Counter
  upstreamDuration: Histogram
  store: Histogram
  mfaVerifications: Counter
  mfaEnrollments: Counter
  accountFlows: Counter
  mail: Counter
  listenerUp: ObservableGauge
  listenerReconnects: Counter
}

/** The liveness probes of one `AuthMetrics` (the global-following ones share a set). */
type ListenerProbes = Set<{ store: RevocationListenerStore; live: () => boolean }>

const fastBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

function createInstruments(meter: Meter, probes: ListenerProbes): Instruments {
  const listenerUp = meter.createObservableGauge(AUTH_METRIC_NAMES.revocationListenerUp, {
    description: 'Whether the revocation listeners are connected (1) or lost (0, session caches bypassed), by store',
  })
  listenerUp.addCallback((result) => {
    const up = new Map<RevocationListenerStore, number>()
    for (const probe of probes) {
      let live = false
      try {
        live = probe.live() === true
      } catch {
        // a probe that throws cannot vouch for its listener
      }
      up.set(probe.store, Math.min(up.get(probe.store) ?? 1, live ? 1 : 0))
    }
    for (const [store, value] of up) result.observe(value, { store })
  })
  return {
    listenerUp,
    listenerReconnects: meter.createCounter(AUTH_METRIC_NAMES.revocationListenerReconnects, {
      description: 'Revocation listeners listening again after being lost, by store',
    }),
    attempts: meter.createCounter(AUTH_METRIC_NAMES.signInAttempts, { description: 'Sign-in attempts by outcome' }),
    duration: meter.createHistogram(AUTH_METRIC_NAMES.signInDuration, {
      description: 'Sign-in duration, password hashing included',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
    }),
    refreshes: meter.createCounter(AUTH_METRIC_NAMES.refreshes, { description: 'Refresh-token outcomes' }),
    revocations: meter.createCounter(AUTH_METRIC_NAMES.revocations, { description: 'Revoked sessions and refresh families' }),
    rejections: meter.createCounter(AUTH_METRIC_NAMES.rateLimitRejections, { description: 'Requests refused by a rate limit' }),
    rotations: meter.createCounter(AUTH_METRIC_NAMES.keyRotations, { description: 'Signing-key rotations' }),
    refreshDuration: meter.createHistogram(AUTH_METRIC_NAMES.refreshDuration, {
      description: 'Refresh-token presentations, lock and minting included',
      unit: 's',
      advice: { explicitBucketBoundaries: fastBuckets },
    }),
    created: meter.createCounter(AUTH_METRIC_NAMES.sessionsCreated, { description: 'Sessions created' }),
    ended: meter.createCounter(AUTH_METRIC_NAMES.sessionsEnded, { description: 'Sessions ended, by reason' }),
    jwks: meter.createCounter(AUTH_METRIC_NAMES.jwksFetches, { description: 'JWKS fetches of remote verifiers, by outcome' }),
    csrf: meter.createCounter(AUTH_METRIC_NAMES.csrfRejections, { description: 'Requests refused by the CSRF guard, by failed check' }),
    upstream: meter.createCounter(AUTH_METRIC_NAMES.bffUpstreamRequests, { description: 'BFF upstream requests, by answer class' }),
    upstreamDuration: meter.createHistogram(AUTH_METRIC_NAMES.bffUpstreamDuration, {
      description: 'BFF upstream latency to the response headers',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
    }),
    store: meter.createHistogram(AUTH_METRIC_NAMES.storeDuration, {
      description: 'Store operations, by store and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: fastBuckets },
    }),
    mfaVerifications: meter.createCounter(AUTH_METRIC_NAMES.mfaVerifications, { description: 'Second-factor answers by method and outcome' }),
    mfaEnrollments: meter.createCounter(AUTH_METRIC_NAMES.mfaEnrollments, { description: 'Second factors enrolled and removed' }),
    accountFlows: meter.createCounter(AUTH_METRIC_NAMES.accountFlows, { description: 'Account flows started and completed (reset, verification)' }),
    mail: meter.createCounter(AUTH_METRIC_NAMES.mailSent, { description: 'Account mail handed to the mailer, by kind and outcome' }),
  }
}

/**
 * The instruments of the global meter provider as it is NOW. OpenTelemetry's global provider is
 * not a proxy: instruments taken before `metrics.setGlobalMeterProvider()` stay no-ops forever.
 * So the provider is looked up on each record (a global read) and the instruments are created
 * again when it changed, and the order in which an app creates its exporter and its routes does
 * not matter.
 */
function globalInstruments(probes: ListenerProbes): () => Instruments {
  let provider: MeterProvider | undefined
  let current: Instruments | undefined
  return () => {
    const now = metrics.getMeterProvider()
    if (now !== provider || current === undefined) {
      provider = now
      current = createInstruments(now.getMeter('@acme/auth-core'), probes)
    }
    return current
  }
}

// Every global-following `AuthMetrics` shares these: one gauge callback per provider sees every
// listener (a store's and the app's metrics alike), and any record refreshes them after a new
// global provider.
const globalProbes: ListenerProbes = new Set()
const sharedGlobalInstruments = globalInstruments(globalProbes)

// A label value from JavaScript callers is checked: never an unbounded string in a metric.
function listenerStoreOf(store: string): RevocationListenerStore {
  if (store !== 'redis' && store !== 'postgres') throw new TypeError("store must be 'redis' or 'postgres'")
  return store
}

const outcomeOf = (outcome: SignInOutcome | LoginFailureReason): SignInOutcome =>
  outcome === 'unknown_user' || outcome === 'bad_password' ? 'invalid_credentials' : outcome

/**
 * Counters and a histogram through `@opentelemetry/api`. Until the app installs an OpenTelemetry
 * SDK the API is a no-op, so this costs nothing and the app picks any exporter (Prometheus, OTLP).
 * Without a `meter`, the global meter provider is followed: one registered after this call (or
 * after `auth.router()`) still receives every record.
 *
 * @default meter the global provider's meter '@acme/auth-core', looked up at each record
 * @example
 * ```ts
 * import { createAuthMetrics } from '@acme/auth-core'
 *
 * const authMetrics = createAuthMetrics()
 * authMetrics.signIn('invalid_credentials', 212)
 * authMetrics.rateLimitRejection('ip_account')
 * ```
 */
export function createAuthMetrics(meter?: Meter): AuthMetrics {
  if (meter !== undefined && (typeof meter !== 'object' || meter === null || typeof meter.createCounter !== 'function')) {
    throw new TypeError('meter must be an OpenTelemetry Meter')
  }
  let instruments: () => Instruments
  let probes: ListenerProbes
  if (meter === undefined) {
    instruments = sharedGlobalInstruments
    probes = globalProbes
  } else {
    probes = new Set()
    const fixed = createInstruments(meter, probes)
    instruments = () => fixed
  }
  const attrs = (key: string, value: string): Attributes => ({ [key]: value })

  return Object.freeze({
    signIn(outcome: SignInOutcome | LoginFailureReason, durationMs: number) {
      const { attempts, duration } = instruments()
      const label = attrs('outcome', outcomeOf(outcome))
      attempts.add(1, label)
      if (Number.isFinite(durationMs) && durationMs >= 0) duration.record(durationMs / 1000, label)
    },
    refresh(outcome: RefreshOutcome, durationMs?: number) {
      const { refreshes, refreshDuration } = instruments()
      const label = attrs('outcome', outcome)
      refreshes.add(1, label)
      if (durationMs !== undefined && Number.isFinite(durationMs) && durationMs >= 0) refreshDuration.record(durationMs / 1000, label)
    },
    revocation(kind: RevocationKind, count = 1) {
      if (count > 0) instruments().revocations.add(count, attrs('kind', kind))
    },
    rateLimitRejection(limit: RateLimitName) {
      instruments().rejections.add(1, attrs('limit', limit))
    },
    keyRotation(kind: 'scheduled' | 'compromised' = 'scheduled') {
      instruments().rotations.add(1, attrs('kind', kind))
    },
    sessionCreated() {
      instruments().created.add(1)
    },
    sessionEnded(reason: RevocationReason | 'expired', count = 1) {
      // A label value from JavaScript callers is checked: never an unbounded string in a metric.
      if (count > 0) instruments().ended.add(count, attrs('reason', sessionEndReasons.has(reason) ? reason : 'admin'))
    },
    jwksFetch(outcome: 'ok' | 'error') {
      instruments().jwks.add(1, attrs('outcome', outcome))
    },
    csrfRejection(check: CsrfCheck) {
      instruments().csrf.add(1, attrs('check', check))
    },
    bffUpstream(outcome: UpstreamOutcome, durationMs: number) {
      const { upstream, upstreamDuration } = instruments()
      const label = attrs('outcome', outcome)
      upstream.add(1, label)
      if (Number.isFinite(durationMs) && durationMs >= 0) upstreamDuration.record(durationMs / 1000, label)
    },
    storeOperation(store: StoreName, outcome: 'ok' | 'error', durationMs: number) {
      if (Number.isFinite(durationMs) && durationMs >= 0) instruments().store.record(durationMs / 1000, { store, outcome })
    },
    mfaVerification(method: MfaMethod, outcome: MfaOutcome) {
      instruments().mfaVerifications.add(1, { method, outcome })
    },
    mfaEnrollment(method: MfaMethod, change: 'enrolled' | 'removed') {
      instruments().mfaEnrollments.add(1, { method, change })
    },
    accountFlow(flow: AccountFlow, stage: 'started' | 'completed') {
      instruments().accountFlows.add(1, { flow, stage })
    },
    mailSent(kind: MailKind, outcome: 'ok' | 'error') {
      instruments().mail.add(1, { kind, outcome })
    },
    revocationListener(store: RevocationListenerStore, live: () => boolean) {
      if (typeof live !== 'function') throw new TypeError('live must be a function')
      const probe = { store: listenerStoreOf(store), live }
      probes.add(probe)
      instruments() // the gauge exists on the current provider from now on
      return () => {
        probes.delete(probe)
      }
    },
    revocationListenerReconnect(store: RevocationListenerStore) {
      instruments().listenerReconnects.add(1, { store: listenerStoreOf(store) })
    },
  })
}
