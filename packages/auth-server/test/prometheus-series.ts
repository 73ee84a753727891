import { AUTH_METRIC_NAMES, createAuthMetrics, type AuthMetrics } from '@acme/auth-core'
import { createPrometheusMetrics } from '../src/prometheus/prometheus-metrics.js'

// What the Prometheus helper really serves for core's metrics, learnt by recording through every
// recorder once and scraping: the docs' queries (dashboard, alerts, runbooks) are checked against it.

/** One recording per recorder. A recorder added to `AuthMetrics` is a type error here until listed. */
const recordEach: { [K in keyof AuthMetrics]: (metrics: AuthMetrics) => void } = {
  signIn: (m) => m.signIn('success', 12),
  refresh: (m) => m.refresh('rotated', 3),
  revocation: (m) => m.revocation('refresh_family'),
  rateLimitRejection: (m) => m.rateLimitRejection('ip'),
  keyRotation: (m) => m.keyRotation('scheduled'),
  sessionCreated: (m) => m.sessionCreated(),
  sessionEnded: (m) => m.sessionEnded('logout'),
  jwksFetch: (m) => m.jwksFetch('ok'),
  csrfRejection: (m) => m.csrfRejection('cross-site'),
  bffUpstream: (m) => m.bffUpstream('2xx', 8),
  storeOperation: (m) => m.storeOperation('session', 'ok', 1),
  mfaVerification: (m) => m.mfaVerification('totp', 'success'),
  mfaEnrollment: (m) => m.mfaEnrollment('totp', 'enrolled'),
  accountFlow: (m) => m.accountFlow('password_reset', 'started'),
  mailSent: (m) => m.mailSent('reset', 'ok'),
  revocationListener: (m) => void m.revocationListener('redis', () => true),
  revocationListenerReconnect: (m) => m.revocationListenerReconnect('redis'),
}

/** A metric family as scraped: its type and the label names its samples carry. */
export interface ScrapedFamily {
  type: 'counter' | 'histogram' | 'gauge'
  labels: ReadonlySet<string>
}

export interface RegisteredSeries {
  /** Family name (`acme_auth_sign_in_attempts_total`, `acme_auth_store_duration`) → what it is. */
  families: ReadonlyMap<string, ScrapedFamily>
  /** Every series name a query may use, with the family it belongs to (`…_bucket` → `…_duration`). */
  series: ReadonlyMap<string, string>
}

/** Labels Prometheus adds on scrape (`job`, `instance`) or the histogram's own (`le`). */
export const scrapeLabels: ReadonlySet<string> = new Set(['job', 'instance', 'le'])

/**
 * Scrapes once after one recording per recorder, and checks that every name of
 * `AUTH_METRIC_NAMES` appeared (dots as underscores; `_total` for counters).
 */
export async function registeredSeries(): Promise<RegisteredSeries> {
  const prometheus = createPrometheusMetrics({ register: false })
  try {
    const metrics = createAuthMetrics(prometheus.meterProvider.getMeter('@acme/auth-core'))
    for (const record of Object.values(recordEach)) record(metrics)
    const text = await (await prometheus.response()).text()
    const families = parseExposition(text)
    const series = new Map<string, string>()
    for (const otelName of Object.values(AUTH_METRIC_NAMES)) {
      const base = otelName.replaceAll('.', '_')
      const counter = families.get(`${base}_total`)
      const histogram = families.get(base)
      if (counter?.type === 'counter') series.set(`${base}_total`, `${base}_total`)
      else if (histogram?.type === 'gauge') series.set(base, base)
      else if (histogram?.type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) series.set(`${base}${suffix}`, base)
      else throw new Error(`${otelName} is not served as ${base}_total (counter) or ${base} (histogram or gauge)`)
    }
    return { families, series }
  } finally {
    await prometheus.shutdown()
  }
}

function parseExposition(text: string): Map<string, ScrapedFamily> {
  const families = new Map<string, { type: 'counter' | 'histogram' | 'gauge'; labels: Set<string> }>()
  for (const line of text.split('\n')) {
    const type = /^# TYPE (acme_auth_\w+) (counter|histogram|gauge)$/.exec(line)
    if (type) families.set(type[1]!, { type: type[2] as 'counter' | 'histogram' | 'gauge', labels: new Set() })
    const sample = /^(acme_auth_\w+?)(_bucket|_sum|_count)?\{([^}]*)\}/.exec(line)
    if (!sample) continue
    const family = families.get(sample[1]!) ?? families.get(`${sample[1]!}${sample[2] ?? ''}`)
    for (const [, name] of sample[3]!.matchAll(/(\w+)="/g)) if (name !== 'le') family?.labels.add(name!)
  }
  return families
}

/** One metric selector of a PromQL expression: the series name and the label names it matches on. */
export interface MetricSelector {
  name: string
  labels: string[]
}

/** The `acme_auth_*` selectors of a PromQL expression. */
export function metricSelectors(expr: string): MetricSelector[] {
  return [...expr.matchAll(/\b(acme_auth_\w+)(\{([^}]*)\})?/g)].map((match) => ({
    name: match[1]!,
    labels: [...(match[3] ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((label) => label[1]!),
  }))
}

/**
 * What is wrong with the selectors of `expr`: an `acme_auth_*` series the code does not serve, a
 * label matcher on a label that series does not carry, or no `acme_auth_*` series at all.
 */
export function selectorProblems(expr: string, registered: RegisteredSeries): string[] {
  const selectors = metricSelectors(expr)
  if (selectors.length === 0) return [`no acme_auth_* metric in: ${expr}`]
  const problems: string[] = []
  for (const { name, labels } of selectors) {
    const familyName = registered.series.get(name)
    if (familyName === undefined) {
      problems.push(`${name} is not a series the code serves`)
      continue
    }
    const family = registered.families.get(familyName)!
    for (const label of labels) {
      if (!family.labels.has(label) && !scrapeLabels.has(label)) problems.push(`${name} has no label "${label}"`)
    }
  }
  return problems
}
