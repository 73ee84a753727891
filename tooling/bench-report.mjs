#!/usr/bin/env node
// Collects packages/*/bench/results/*.json (written by `pnpm bench`) into docs/benchmarks.md and
// an SVG chart of the ratios against their goals (docs/benchmarks-ratios.svg).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const results = {}
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench', 'results')
  if (!existsSync(dir)) continue
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    results[file.replace('.json', '')] = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  }
}
const rows = (name) => results[name]?.rows ?? []
const find = (name, key, value) => rows(name).find((row) => row[key] === value)

const table = (items, columns) => {
  if (items.length === 0) return '_not run_\n'
  const head = `| ${columns.map(([title]) => title).join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`
  return head + items.map((item) => `| ${columns.map(([, get]) => get(item)).join(' | ')} |`).join('\n') + '\n'
}

const rps = (scenario) => find('protected-route', 'scenario', scenario)?.requestsPerSecond
const proxy = (scenario) => find('bff', 'scenario', scenario)?.requestsPerSecond
const signIn10 = find('signin', 'concurrency', 10)
const storm = rows('refresh-storm')[0]
const redisBytes = find('memory-per-session', 'name', 'redis store')?.bytesPerSession
const ratio = (a, b) => (a !== undefined && b ? a / b : undefined)

const goals = [
  { name: 'auth, memory store / bare Express', value: ratio(rps('acme-memory'), rps('bare')), goal: 0.9 },
  { name: 'auth, Redis uncached / express-session + connect-redis', value: ratio(rps('acme-redis'), rps('express-session-redis')), goal: 1.3 },
  { name: 'auth, Redis cached / bare Express', value: ratio(rps('acme-redis-cached'), rps('bare')), goal: 0.85 },
  { name: 'BFF / http-proxy-middleware (keep-alive)', value: ratio(proxy('bff'), proxy('http-proxy-middleware')), goal: 1.0 },
]
const fmt = (n, digits = 2) => (n === undefined ? 'n/a' : n.toFixed(digits))
const met = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**')

// SVG: one bar per ratio, a tick at its goal.
const width = 760
const barHeight = 34
const left = 360
const scaleMax = Math.max(2, ...goals.map((g) => g.value ?? 0)) * 1.05
const x = (v) => left + ((width - left - 40) * v) / scaleMax
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${goals.length * barHeight + 60}" font-family="system-ui, sans-serif" font-size="13">`,
  `<text x="10" y="20" font-weight="600">Ratios against their goals (bar = measured, black tick = goal)</text>`,
  ...goals.flatMap((g, i) => {
    const y = 36 + i * barHeight
    const value = g.value ?? 0
    const colour = g.value === undefined ? '#bbb' : value >= g.goal ? '#2e7d32' : '#c62828'
    return [
      `<text x="10" y="${y + 17}">${g.name}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${Math.max(1, x(value) - left)}" height="18" fill="${colour}"/>`,
      `<line x1="${x(g.goal)}" x2="${x(g.goal)}" y1="${y}" y2="${y + 26}" stroke="#000" stroke-width="2"/>`,
      `<text x="${x(value) + 6}" y="${y + 18}">${fmt(g.value)} (goal ${g.goal})</text>`,
    ]
  }),
  `</svg>`,
].join('\n')

const md = `# Benchmarks

Written by \`pnpm bench\` (then \`node tooling/bench-report.mjs\`) on ${new Date().toISOString().slice(0, 10)}, on this
machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.
Every peer is measured in the same run, on loopback; servers run in child processes so the load
generator does not share their event loop. With 2 cores the load generator, the server and Redis
compete for CPU, so absolute numbers are low and ratios carry the information.

![ratios](benchmarks-ratios.svg)

## Goals

${table(goals, [['ratio', (g) => g.name], ['measured', (g) => fmt(g.value)], ['goal', (g) => `≥ ${g.goal}`], ['', (g) => met(g.value === undefined ? undefined : g.value >= g.goal)]])}
| other goal | measured | goal | |
|---|---|---|---|
| sign-in at 10 concurrent | p50 ${fmt(signIn10?.p50Ms, 1)} ms, p95 ${fmt(signIn10?.p95Ms, 1)} ms | p50 < 150 ms, p95 < 400 ms | ${met(signIn10 ? signIn10.p50Ms < 150 && signIn10.p95Ms < 400 : undefined)} |
| refresh storm (100 concurrent, one session) | ${storm ? `${storm.errors} errors, ${storm.rotations} rotation, ${storm.distinctRefreshTokens} distinct successor` : 'n/a'} | 0 errors, 1 rotation | ${met(storm ? storm.errors === 0 && storm.rotations === 1 : undefined)} |
| Redis memory per session | ${redisBytes ?? 'n/a'} bytes | < 1024 bytes | ${met(redisBytes === undefined ? undefined : redisBytes < 1024)} |

## 1. A protected route (autocannon, ${results['protected-route']?.rows?.[0] ? '20 connections' : ''})

${table(rows('protected-route'), [['scenario', (r) => r.scenario], ['req/s', (r) => r.requestsPerSecond], ['× bare', (r) => fmt(r.requestsPerSecond / (rps('bare') ?? 1))], ['p50 ms', (r) => r.p50Ms], ['p99 ms', (r) => r.p99Ms], ['errors', (r) => r.errors + r.non2xx]])}
## 2. BFF vs direct vs http-proxy-middleware

${table(rows('bff'), [['scenario', (r) => r.scenario], ['req/s', (r) => r.requestsPerSecond], ['× direct', (r) => fmt(r.requestsPerSecond / (proxy('direct') ?? 1))], ['p50 ms', (r) => r.p50Ms], ['p99 ms', (r) => r.p99Ms], ['errors', (r) => r.errors + r.non2xx]])}
## 3. JWT sign and verify, refresh rotations

${table(rows('tokens'), [['task', (r) => r.name], ['ops/s', (r) => r.opsPerSecond], ['mean ms', (r) => r.meanMs], ['p99 ms', (r) => r.p99Ms]])}
## 4. Sign-in latency (argon2id, OWASP parameters)

${table(rows('signin'), [['clients', (r) => r.concurrency], ['sign-ins', (r) => r.requests], ['p50 ms', (r) => r.p50Ms], ['p95 ms', (r) => r.p95Ms], ['non-200', (r) => r.non200]])}
## 5. Refresh storm

${table(rows('refresh-storm'), [['requests', (r) => r.requests], ['204', (r) => r.ok], ['errors', (r) => r.errors], ['rotations', (r) => r.rotations], ['grace replays', (r) => r.replays], ['distinct successors', (r) => r.distinctRefreshTokens], ['ms', (r) => r.elapsedMs]])}
## 6. Memory per session

${table(rows('memory-per-session'), [['store', (r) => r.name], ['sessions', (r) => r.sessions], ['bytes per session', (r) => r.bytesPerSession]])}
## Also measured

${table([...rows('sessions'), ...rows('passwords')], [['task', (r) => r.name], ['ops/s', (r) => r.opsPerSecond], ['mean ms', (r) => r.meanMs], ['p99 ms', (r) => r.p99Ms]])}`

mkdirSync(join(root, 'docs'), { recursive: true })
writeFileSync(join(root, 'docs', 'benchmarks.md'), md)
writeFileSync(join(root, 'docs', 'benchmarks-ratios.svg'), svg + '\n')
console.log('wrote docs/benchmarks.md and docs/benchmarks-ratios.svg')
