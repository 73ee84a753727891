import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { markdownSections } from '../../test/markdown-sections.js'
import { registeredSeries, selectorProblems, type RegisteredSeries } from '../../test/prometheus-series.js'

// docs/alerts.yml: valid for Prometheus (`promtool check rules`), each alert unit-tested
// (`promtool test rules docs/alerts.test.yml`), over series the code serves, each linked to a
// runbook section. promtool is required: CI installs it (Debian's `prometheus` package).

const docs = fileURLToPath(new URL('../../../../docs/', import.meta.url))
const rules = readFileSync(`${docs}alerts.yml`, 'utf8')
const ruleTests = readFileSync(`${docs}alerts.test.yml`, 'utf8')
const runbookSlugs = markdownSections(readFileSync(`${docs}runbooks.md`, 'utf8')).map((s) => s.slug)

function promtool(...args: string[]): string {
  const result = spawnSync('promtool', args, { cwd: docs, encoding: 'utf8', timeout: 30_000 })
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: `apt-get install -y prometheus` (Debian ships promtool in it; .ci/run installs it)')
  }
  const output = `${result.stdout}${result.stderr}`
  if (result.status !== 0) throw new Error(`promtool ${args.join(' ')} exited ${result.status}:\n${output}`)
  return output
}

/** The `expr` of each rule: one line, or a `|` block (the lines indented deeper than `expr:`). */
function expressions(yaml: string): string[] {
  const lines = yaml.split('\n')
  const found: string[] = []
  lines.forEach((line, index) => {
    const match = /^(\s*)expr:\s*(.*)$/.exec(line)
    if (!match) return
    if (match[2] !== '|') return void found.push(match[2]!)
    const indent = match[1]!.length
    const body: string[] = []
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= indent) break
      body.push(next.trim())
    }
    found.push(body.join(' ').trim())
  })
  return found
}

let registered: RegisteredSeries
beforeAll(async () => {
  registered = await registeredSeries()
})

describe('docs/alerts.yml', () => {
  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 8 rules found/)
  })

  it('passes its unit tests, promtool test rules docs/alerts.test.yml', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/)
  })

  it('alerts on reuse, sign-in failures, store errors and latency, JWKS, CSRF, the BFF and a lost revocation listener, each unit-tested', () => {
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]!)
    expect(alerts).toEqual([
      'AcmeAuthRefreshTokenReuse',
      'AcmeAuthSignInFailureRatio',
      'AcmeAuthStoreErrors',
      'AcmeAuthStoreSlow',
      'AcmeAuthJwksFetchFailures',
      'AcmeAuthCsrfRejectionSpike',
      'AcmeAuthBffUpstreamErrors',
      'AcmeAuthRevocationListenerDown',
    ])
    // Each one fires in a test (a non-empty exp_alerts under its name).
    for (const alert of alerts) expect(ruleTests).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`))
  })

  it('links every alert to a section of docs/runbooks.md', () => {
    const links = [...rules.matchAll(/runbook_url: docs\/runbooks\.md#([\w-]+)$/gm)].map((m) => m[1]!)
    expect(links).toHaveLength([...rules.matchAll(/- alert: /g)].length)
    for (const link of links) expect(runbookSlugs).toContain(link)
  })

  it('queries only series and labels the code serves, and tests with them', () => {
    const exprs = expressions(rules)
    expect(exprs).toHaveLength(8)
    const series = [...ruleTests.matchAll(/series: '([^']+)'/g)].map((m) => m[1]!)
    expect([...exprs, ...series].flatMap((expr) => selectorProblems(expr, registered))).toEqual([])
  })
})
