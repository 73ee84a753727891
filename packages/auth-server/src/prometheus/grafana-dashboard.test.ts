import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { metricSelectors, registeredSeries, selectorProblems, type RegisteredSeries } from '../../test/prometheus-series.js'

// docs/grafana-dashboard.json: valid JSON, one panel per operator question, every query over a
// series the code serves (derived from AUTH_METRIC_NAMES by a real scrape), every metric on some
// panel, and the panel list the README and the runbooks name is the dashboard's.

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const dashboard = JSON.parse(read('../../../../docs/grafana-dashboard.json')) as Dashboard
const readme = read('../../README.md')
const runbooks = read('../../../../docs/runbooks.md')

interface Target {
  refId: string
  expr: string
  datasource: { type: string; uid: string }
}
interface Panel {
  id: number
  type: string
  title: string
  description: string
  gridPos: { x: number; y: number; w: number; h: number }
  targets: Target[]
}
interface Dashboard {
  uid: string
  title: string
  schemaVersion: number
  templating: { list: { name: string; type: string }[] }
  panels: Panel[]
}

const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))

let registered: RegisteredSeries
beforeAll(async () => {
  registered = await registeredSeries()
})

describe('docs/grafana-dashboard.json', () => {
  it('is a Grafana dashboard with a Prometheus data-source variable and a job filter', () => {
    expect(dashboard).toMatchObject({ uid: 'acme-auth', title: 'Acme Auth' })
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36)
    expect(dashboard.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['job', 'query'],
    ])
    const ids = dashboard.panels.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const panel of dashboard.panels) {
      expect(panel.type, panel.title).toBe('timeseries')
      expect(panel.description.length, panel.title).toBeGreaterThan(20)
      expect(panel.targets.length, panel.title).toBeGreaterThan(0)
      for (const target of panel.targets) {
        expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' })
        for (const selector of metricSelectors(target.expr)) expect(selector.labels, `${panel.title}: ${target.expr}`).toContain('job')
      }
    }
  })

  it('lays the panels out without overlap on the 24-column grid', () => {
    const cells = new Set<string>()
    for (const { title, gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24)
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false)
          cells.add(`${x},${y}`)
        }
      }
    }
  })

  it('answers one operator question per panel', () => {
    expect(dashboard.panels.map((p) => p.title)).toEqual([
      'Sign-ins per minute, by outcome',
      'Sign-in latency p50 / p95',
      'Refresh outcomes per minute',
      'Refresh latency p50 / p95',
      'Refresh-token reuse detections',
      'Sessions created and ended, by reason',
      'Revocations, by kind',
      'Store latency p95, by store',
      'Store errors per minute, by store',
      'BFF upstream answers per minute, by class',
      'BFF upstream latency p50 / p95',
      'CSRF rejections, by failed check',
      'Rate-limit rejections, by limit',
      'Key rotations and JWKS fetch failures',
      'Second factors: answers and enrollments',
      'Account recovery and verification funnel',
      'Revocation listeners up, by store',
    ])
  })

  it('queries only series and labels the code registers', () => {
    expect(expressions.flatMap((expr) => selectorProblems(expr, registered))).toEqual([])
  })

  it('shows every metric the code registers on some panel', () => {
    const shown = new Set(expressions.flatMap((expr) => metricSelectors(expr).map((s) => registered.series.get(s.name))))
    expect([...registered.families.keys()].filter((family) => !shown.has(family))).toEqual([])
  })

  it('is the panel list of the README, and every panel the runbooks name exists', () => {
    const titles = dashboard.panels.map((p) => p.title)
    for (const title of titles) expect(readme).toContain(`| ${title} |`)
    const named = [...runbooks.matchAll(/\*\*([^*]+)\*\*\s+panel/g)].map((m) => m[1]!.replace(/\s+/g, ' '))
    expect(named.length).toBeGreaterThan(5)
    for (const name of named) expect(titles).toContain(name)
  })

  it('the check itself catches an unknown series and a label the series does not carry', () => {
    expect(selectorProblems('rate(acme_auth_sign_in_attempt_total[5m])', registered)).toEqual([
      'acme_auth_sign_in_attempt_total is not a series the code serves',
    ])
    expect(selectorProblems('acme_auth_sessions_ended_total{outcome="expired"}', registered)).toEqual([
      'acme_auth_sessions_ended_total has no label "outcome"',
    ])
    expect(selectorProblems('up', registered)).toEqual(['no acme_auth_* metric in: up'])
  })
})
