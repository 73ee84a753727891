#!/usr/bin/env node
// Collects packages/*/bench/results/*.json (written by `pnpm bench`, and by `bench:profile` in
// auth-server) into docs/benchmarks.md and an SVG chart of the ratios with their spread against
// their goals (docs/benchmarks-ratios.svg). Nothing here measures: it only reads result files.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
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
const protectedRoute = results['protected-route']
const bff = results.bff
const profile = results.profile
const nextRoute = results['next-route']
const loadBenches = [protectedRoute, bff, nextRoute].filter(Boolean)

const table = (items, columns) => {
  if (items.length === 0) return '_not run_\n'
  const head = `| ${columns.map(([title]) => title).join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`
  return head + items.map((item) => `| ${columns.map(([, get]) => get(item)).join(' | ')} |`).join('\n') + '\n'
}
const fmt = (n, digits = 2) => (n === undefined || n === null ? 'n/a' : Number(n).toFixed(digits))
const range = (s, digits = 2) => (s ? `${fmt(s.min, digits)}–${fmt(s.max, digits)}` : 'n/a')
const met = (ok) => (ok === undefined ? '' : ok ? 'met' : '**missed**')
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
/**
 * A scenario's req/s over another's: the paired ratio when the bench measured that pair (median of
 * its rounds), else the ratio of the two scenarios' medians over all their slices, marked with *.
 */
const versus = (bench, scenario, base) => {
  if (scenario === base) return '1.00'
  const paired = bench?.ratios?.find((r) => r.numerator === scenario && r.denominator === base && r.metric === 'requestsPerSecond')
  if (paired) return fmt(paired.median)
  const of = (name) => bench?.scenarios?.find((s) => s.scenario === name)?.requestsPerSecond?.median
  const top = of(scenario)
  const bottom = of(base)
  return top && bottom ? `${fmt(top / bottom)}*` : 'n/a'
}

// ---- goals -------------------------------------------------------------------------------------
const ratios = loadBenches.flatMap((bench) => bench.ratios ?? [])
const goals = ratios.filter((r) => r.goal !== undefined)
const informative = ratios.filter((r) => r.goal === undefined)
const goalText = (r) => `${r.comparison === 'at-most' ? '≤' : '≥'} ${r.goal}`

const signIn10 = rows('signin').find((row) => row.concurrency === 10 && row.cores !== '1')
const storm = rows('refresh-storm')[0]
const pgRows = protectedRoute?.postgresSessionRow
const bytesOf = (name) => find('memory-per-session', 'name', name)?.bytesPerSession
const instructions = results.instructions
const notesFile = join(root, 'docs', 'benchmarks-notes.md')
const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim() : ''

// ---- the goals that are not a req/s ratio of one load bench ------------------------------------
const growthRows = rows('growth')
const growthOps = (pattern) => growthRows.find((row) => pattern.test(row.name))?.opsPerSecond
const sizesIn = (store) => growthRows.filter((row) => row.name.startsWith('validate()') && row.name.includes(store))
/** validate() latency at the largest size ÷ at the smallest (1 = flat). */
const validateGrowth = (store) => {
  const measured = sizesIn(store)
  if (measured.length < 2) return undefined
  return { first: measured[0], last: measured.at(-1), factor: measured.at(-1).meanMs / measured[0].meanMs }
}
const sizeOf = (row) => /with ([\d,]+) sessions/.exec(row.name)?.[1] ?? '?'
const revocation = results.growth?.revocationToFourInstances
const refreshOne = growthOps(/1 device$/)
const refreshFifty = growthOps(/50 devices$/)
const otherGoals = [
  {
    name: 'sign-in at 10 concurrent (server on both cores)',
    measured: signIn10 ? `p50 ${fmt(signIn10.p50Ms, 1)} ms (${range(signIn10.p50Spread, 1)}), p95 ${fmt(signIn10.p95Ms, 1)} ms (${range(signIn10.p95Spread, 1)})` : 'not run',
    goal: 'p50 < 100 ms, p95 < 150 ms',
    ok: signIn10 ? signIn10.p50Ms < 100 && signIn10.p95Ms < 150 : undefined,
  },
  ...['memory store', 'Redis'].map((store) => {
    const growth = validateGrowth(store)
    return {
      name: `validate() flat from ${growth ? sizeOf(growth.first) : '1 k'} to ${growth ? sizeOf(growth.last) : '1 M'} sessions (${store})`,
      measured: growth ? `mean ${fmt(growth.first.meanMs, 4)} → ${fmt(growth.last.meanMs, 4)} ms (× ${fmt(growth.factor)}${growth.first.rounds ? `, medians of ${growth.first.rounds} rounds` : ''})` : 'not run',
      goal: 'latency × ≤ 1.25',
      ok: growth ? growth.factor <= 1.25 : undefined,
    }
  }),
  {
    name: 'a refresh with 50 devices costs what it costs with 1',
    measured: refreshOne && refreshFifty ? `${refreshOne} vs ${refreshFifty} rotations/s (× ${fmt(refreshFifty / refreshOne)})` : 'not run',
    goal: '50 ÷ 1 devices ≥ 0.9',
    ok: refreshOne && refreshFifty ? refreshFifty / refreshOne >= 0.9 : undefined,
  },
  {
    name: 'a revocation reaches 4 instances on one Redis',
    measured: revocation ? `p50 ${revocation.p50Ms} ms, p99 ${revocation.p99Ms} ms, max ${revocation.maxMs} ms (${revocation.rounds} revocations)` : 'not run',
    goal: 'p99 < 50 ms',
    ok: revocation ? revocation.p99Ms < 50 : undefined,
  },
  ...[
    ['memory per session, memory store', bytesOf('memory store')],
    ['memory per session, Redis', bytesOf('redis store')],
    ['memory per session, PostgreSQL (row with its indexes)', pgRows?.acme?.totalBytesPerRow],
  ].map(([name, bytes]) => ({ name, measured: bytes === undefined ? 'not run' : `${bytes} bytes`, goal: '< 1024 bytes', ok: bytes === undefined ? undefined : bytes < 1024 })),
  {
    name: 'refresh storm (100 concurrent, one session)',
    measured: storm ? `${storm.errors} errors, ${storm.rotations} rotation, ${storm.distinctRefreshTokens} distinct successor` : 'not run',
    goal: '0 errors, 1 rotation',
    ok: storm ? storm.errors === 0 && storm.rotations === 1 : undefined,
  },
]

// ---- instructions per request (callgrind, `bench:instructions`) --------------------------------
const instructionsText = instructions
  ? `\`pnpm --filter @acme/auth-server bench:instructions\` (${instructions.at ? `${instructions.at.slice(0, 10)}, ` : ''}Node ${instructions.node ?? 'n/a'}) counts the CPU
instructions the server's main thread spends per protected request (for *bff* and *http-proxy-middleware*: per proxied request,
the upstream not counted) under valgrind's callgrind, after ${instructions.warmup}
warm-up requests, over ${instructions.passes} passes of ${instructions.requests} (the median pass; each pass in brackets). The count does
not move with machine load, so it tells a few percent of our own work from noise where req/s on two shared cores
cannot; it ignores waiting (the Redis round trip) and cache misses, so it complements the rounds above. Unchanged
code moves by about ±3 % between runs.

${table(instructions.rows, [['scenario', (r) => r.scenario], ['instructions per request', (r) => r.instructionsPerRequest.toLocaleString('en')], ['passes', (r) => r.passes.map((n) => n.toLocaleString('en')).join(' / ')]])}
${table(Object.entries(instructions.ratios).filter(([, value]) => value !== undefined && value !== null), [['throughput ratio the counts imply (denominator’s instructions ÷ numerator’s)', ([name]) => name], ['', ([, value]) => fmt(value, 3)]])}`
  : '_not run: `pnpm --filter @acme/auth-server bench:instructions`_\n'

// ---- SVG: one row per ratio: whisker min–max, dot at the median, dashed line at the goal ---------
const width = 820
const rowHeight = 30
const left = 420
const chartRatios = [...goals, ...informative]
const scaleMax = Math.max(2, ...chartRatios.map((r) => r.max ?? 0)) * 1.05
const x = (v) => left + ((width - left - 30) * v) / scaleMax
const height = chartRatios.length * rowHeight + 80
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const ticks = Array.from({ length: Math.floor(scaleMax / 0.5) + 1 }, (_, i) => i * 0.5)
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  `<text x="10" y="20" font-weight="600">Ratios per round: dot = median, whisker = min–max, dashed = goal${loadBenches.some((b) => b.method?.quick) ? ' (SMOKE RUN, not a measurement)' : ''}</text>`,
  ...ticks.map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="32" y2="${height - 30}" stroke="#eee"/><text x="${x(t)}" y="${height - 14}" text-anchor="middle" fill="#666">${t.toFixed(1)}</text>`),
  ...chartRatios.flatMap((r, i) => {
    const y = 40 + i * rowHeight
    const colour = r.met === undefined ? '#777' : r.met ? '#2e7d32' : '#c62828'
    const mid = y + 12
    return [
      `<text x="10" y="${mid + 4}">${escape(r.name)}</text>`,
      `<line x1="${x(r.min)}" x2="${x(r.max)}" y1="${mid}" y2="${mid}" stroke="${colour}" stroke-width="2"/>`,
      `<line x1="${x(r.min)}" x2="${x(r.min)}" y1="${mid - 5}" y2="${mid + 5}" stroke="${colour}" stroke-width="2"/>`,
      `<line x1="${x(r.max)}" x2="${x(r.max)}" y1="${mid - 5}" y2="${mid + 5}" stroke="${colour}" stroke-width="2"/>`,
      `<circle cx="${x(r.median)}" cy="${mid}" r="4.5" fill="${colour}"/>`,
      ...(r.goal === undefined
        ? []
        : [
            `<line x1="${x(r.goal)}" x2="${x(r.goal)}" y1="${y}" y2="${y + 24}" stroke="#000" stroke-width="1.5" stroke-dasharray="3,2"/>`,
            `<text x="${x(r.goal) + 3}" y="${y + 6}" font-size="10">${r.comparison === 'at-most' ? '≤' : '≥'}${r.goal}</text>`,
          ]),
      x(r.max) + 8 < width - 40
        ? `<text x="${x(r.max) + 8}" y="${mid + 4}" fill="${colour}">${fmt(r.median)}</text>`
        : `<text x="${x(r.min) - 8}" y="${mid + 4}" fill="${colour}" text-anchor="end">${fmt(r.median)}</text>`,
    ]
  }),
  `</svg>`,
].join('\n')

// ---- method ------------------------------------------------------------------------------------
const machineOf = protectedRoute?.machineBefore ?? bff?.machineBefore
const method = protectedRoute?.method ?? bff?.method
const load = (bench) => (bench ? `${bench.machineBefore.loadAverage[0]} before, ${bench.machineAfter.loadAverage[0]} after` : 'n/a')
const others = (bench) => `${bench.bench.replace('.bench.ts', '')}: ${bench.othersBusyPercentBefore ?? 'n/a'} %`
const smoke = loadBenches.some((b) => b.method?.quick)
// Measured in the second before the first round, while the bench's servers idled: what others used.
const busy = loadBenches.some((b) => (b.othersBusyPercentBefore ?? 0) > 15)
const banner = [
  smoke ? '> **Smoke run** (`BENCH_QUICK=1`: 2 rounds × 2 s): it shows the harness works, not how fast anything is. Run `pnpm bench` on a quiet machine for numbers.' : '',
  busy ? `> **The machine was busy**: other processes used ${loadBenches.map(others).join(', ')} of the CPUs just before the bench started. Treat every number below with suspicion.` : '',
].filter(Boolean).join('\n>\n')

const slidEntries = Object.entries(protectedRoute?.idleExpirySlidSeconds ?? {})
const slid = slidEntries.length > 0 ? slidEntries.map(([name, seconds]) => `${seconds} s (${name})`).join(', ') : undefined
const methodText = method
  ? `- **Machine**: ${machineOf.cores} cores (${machineOf.cpu}), ${machineOf.memoryGiB} GiB, Node ${machineOf.node}, ${machineOf.platform}; CPU used by other processes just before the first round: ${loadBenches.map(others).join(', ')} (1-minute load average ${load(protectedRoute ?? bff)}).
- **Pinning**: ${machineOf.pinned ? `the load generator (autocannon, in the bench process) on core ${machineOf.loadGeneratorCore}, each server under test in its own child process on core ${machineOf.serverCore} (\`taskset -c ${machineOf.serverCore}\`). Redis and the BFF's upstream sit beside the load generator, on core ${machineOf.loadGeneratorCore}.` : 'none (no `taskset`, or one core): load generator, servers and Redis share the CPUs.'}
- **What runs**: the servers load Acme's packages from their build (\`dist/\`, built before the bench starts), as an app does, not from the sources.
- **Redis**: ${protectedRoute?.redis ?? 'n/a'}.
- **PostgreSQL**: ${protectedRoute?.postgres ?? 'n/a'}; node-postgres pools of 10 (the cached Acme scenario LISTENs on a pool of 1 of its own).
- **Paired rounds**: every scenario is warmed up once (${method.warmupSeconds * 3} s). Then ${method.rounds} rounds; in each, every ratio is one block of four slices, A B B A (numerator, denominator, denominator, numerator), each ${method.warmupSeconds} s of unmeasured load and then ${method.durationSeconds / 2} s measured, and the order of the blocks rotates by one each round. (The per-slice warm-up matters: a server that idled runs its first second or two 20–35 % slower; without it, second slices beat first ones by a median 1.19–1.35 ×.) ${method.loadGenerator}.
- **Ratios**: a round's ratio is (A₁ + A₂) ÷ (B₁ + B₂), so both sides ran within seconds of each other and a steady drift of the machine's speed cancels out; the rounds are summarised as the median with min–max. A goal is met when the median meets it. (Measuring each scenario once per round instead let a ratio's two sides run a minute apart, and on this host one round's ratio then swung by ±25 %.) Scenario req/s below are medians over all of a scenario's slices; a "× bare" or "× ideal" marked * is a ratio of such medians, not a paired measurement.
- **Same request everywhere**: every scenario gets one identical Cookie header (${method.cookieHeaderBytes} bytes) holding every scenario's credentials: \`__Host-sid\` (shared by the ideal and the Acme session scenarios), express-session's \`sid\`, and \`__Host-access\` (a fresh access token each round).
- **Correctness gates** before every load: the request with the cookie answers 200 with the user, one without it answers 401 (not asked of bare Express and the plain proxies); any non-2xx, error or timeout during a load fails the bench.
- **No shortcuts**: each app is \`app.use(<authenticate>)\`, \`app.get('/protected', <guard>, handler)\`, then the error handler; sessions are validated per request with the library defaults (idle expiry sliding, one store write per 60 s touch interval; express-session touches its store on every request, its default).${slid ? ` Over the run the stored Acme sessions' \`lastSeenAt\` moved by ${slid}.` : ''}`
  : '_not run_'

// ---- profile -----------------------------------------------------------------------------------
const profileText = profile
  ? `Written by \`pnpm --filter @acme/auth-server bench:profile\` (${profile.method.seconds} s of load per scenario, the server under \`node --cpu-prof\` on the server core, only the samples of the load window counted; allocations from \`v8.GCProfiler\` in the server over the same window; ${profile.at.slice(0, 10)}, other processes using ${profile.othersBusyPercentBefore ?? 'n/a'} % of the CPUs before it started${profile.method.quick ? ', **smoke run**' : ''}). Self time excludes idle.

${table(profile.scenarios, [
  ['scenario', (s) => s.scenario],
  ['req/s (profiled)', (s) => s.requestsPerSecond],
  ...profile.groups.map((group) => [`${group} %`, (s) => fmt(s.groups[group] ?? 0, 1)]),
  ['KiB allocated / request', (s) => fmt(s.allocatedBytesPerRequest / 1024, 1)],
  ['GCs / 1000 requests', (s) => fmt(s.gcPer1000Requests, 2)],
])}
${profile.scenarios
  .map(
    (s) => `### ${s.scenario}: top functions by self time

${table(s.top.slice(0, 15), [['function', (f) => `\`${f.name}\``], ['where', (f) => f.where], ['group', (f) => f.group], ['self %', (f) => fmt(f.selfPercent, 1)]])}`,
  )
  .join('\n')}`
  : '_not run: `pnpm --filter @acme/auth-server bench:profile`_\n'

const bareOrIdeal = (bench, base) => (r) => versus(bench, r.scenario, base)

const md = `# Benchmarks

Generated by \`pnpm bench\` (then \`node tooling/bench-report.mjs\`) on ${(protectedRoute?.at ?? new Date().toISOString()).slice(0, 10)}. Every peer is measured in the
same run, on loopback. The ratios carry the information; absolute numbers depend on the machine.

${banner}

${notes ? `${notes}\n` : ''}
![ratios per round, median and min–max, against their goals](benchmarks-ratios.svg)

## Goals

${table(goals, [['ratio', (r) => r.name], ['median', (r) => fmt(r.median)], ['min–max of the rounds', (r) => range(r)], ['goal', goalText], ['', (r) => met(r.met)]])}
${table(otherGoals, [['other goal', (g) => g.name], ['measured', (g) => g.measured], ['goal', (g) => g.goal], ['', (g) => met(g.ok)]])}
Other ratios (no goal):

${table(informative, [['ratio', (r) => r.name], ['median', (r) => fmt(r.median)], ['min–max', (r) => range(r)]])}
## Method

${methodText}

## 1. A protected route

\`GET /protected\` answering \`{"user":"bench-user"}\`. **bare**: Express with no authentication at all. **ideal**: a
hand-written check in the same app shape (cookie parse → SHA-256 → \`Map\` lookup → constant-time compare → expiry
check, sliding once a minute): the least a correct opaque-session check costs, so *ours ÷ ideal* says how much of
the cost is ours. **acme-***: \`auth.middleware()\` + \`requireAuth()\` with the memory store, Redis uncached, Redis with
the revocation-aware cache (defaults), PostgreSQL uncached and with the cache (LISTEN/NOTIFY), and the token
strategy (\`__Host-access\` verified locally).
**express-session-***: express-session 1.x defaults with its MemoryStore, with connect-redis and with connect-pg-simple.

${table(protectedRoute?.scenarios ?? [], [['scenario', (s) => s.scenario], ['req/s median', (s) => Math.round(s.requestsPerSecond.median)], ['min–max', (s) => range(s.requestsPerSecond, 0)], ['× bare', bareOrIdeal(protectedRoute, 'bare')], ['× ideal', bareOrIdeal(protectedRoute, 'ideal')], ['p50 ms', (s) => s.p50Ms.median], ['p99 ms (min–max)', (s) => `${s.p99Ms.median} (${range(s.p99Ms, 0)})`]])}
## 2. BFF vs http-proxy-middleware vs direct

The BFF checks the session, mints (and caches) a Bearer token for the upstream and proxies; http-proxy-middleware
has a keep-alive agent and no authentication; *direct* hits the upstream, which runs beside the load generator.

${table(bff?.scenarios ?? [], [['scenario', (s) => s.scenario], ['req/s median', (s) => Math.round(s.requestsPerSecond.median)], ['min–max', (s) => range(s.requestsPerSecond, 0)], ['× http-proxy-middleware', bareOrIdeal(bff, 'http-proxy-middleware')], ['p50 ms', (s) => s.p50Ms.median], ['p99 ms (min–max)', (s) => `${s.p99Ms.median} (${range(s.p99Ms, 0)})`]])}
## 3. Where the time goes (CPU profile, allocations)

${profileText}
## 3a. Instructions per request (callgrind)

${instructionsText}
## 4. JWT sign and verify, refresh rotations

${table(rows('tokens'), [['task', (r) => r.name], ['ops/s', (r) => r.opsPerSecond], ['mean ms', (r) => r.meanMs], ['p99 ms', (r) => r.p99Ms]])}
## 5. Sign-in latency (argon2id, OWASP parameters)

\`POST /auth/login\` with the right password (argon2id m = 19 MiB, t = 2, p = 1; the memory store; limits off, as
every request comes from one address), ${results.signin?.method ? `${results.signin.method.rounds} interleaved rounds of ${results.signin.method.seconds} s per row` : 'rounds'}: the median of the rounds' p50 and p95, with their
min–max. argon2id hashes on libuv's thread pool, so the server is given both cores, as a real deployment's would be;
the load generator (a few percent of a core at these rates) stays on core 0. The row on core 1 alone is the one-core
case: ten ~12 ms hashes queue on one core, so its p50 cannot fall far below 10 × 12 ms.

${table(rows('signin'), [['clients', (r) => r.concurrency], ['server cores', (r) => r.cores ?? 'n/a'], ['sign-ins', (r) => r.requests], ['p50 ms (min–max)', (r) => `${r.p50Ms}${r.p50Spread ? ` (${range(r.p50Spread, 1)})` : ''}`], ['p95 ms (min–max)', (r) => `${r.p95Ms}${r.p95Spread ? ` (${range(r.p95Spread, 1)})` : ''}`], ['non-200', (r) => r.non200]])}
## 6. Refresh storm

${table(rows('refresh-storm'), [['requests', (r) => r.requests], ['204', (r) => r.ok], ['errors', (r) => r.errors], ['rotations', (r) => r.rotations], ['grace replays', (r) => r.replays], ['distinct successors', (r) => r.distinctRefreshTokens], ['ms', (r) => r.elapsedMs]])}
## 7. Memory per session

${table(rows('memory-per-session'), [['store', (r) => r.name], ['sessions', (r) => r.sessions], ['bytes per session', (r) => r.bytesPerSession]])}
PostgreSQL, bytes per session row${pgRows ? ` (${pgRows.method})` : ''}:

${table(pgRows ? [['Acme PostgresSessionStore', pgRows.acme], ['connect-pg-simple', pgRows.connectPgSimple]] : [], [['store', ([name]) => name], ['rows', ([, r]) => r.rows], ['row (pg_column_size)', ([, r]) => r.rowBytes], ['heap ÷ rows', ([, r]) => r.heapBytesPerRow], ['with indexes and TOAST ÷ rows', ([, r]) => r.totalBytesPerRow]])}
## 8. How cost grows
validate() with more sessions stored, refresh with more devices of the user (both should stay flat), and the time
from a revoke on one instance until four other instances (own caches, one private Redis) all reject the token.
${growthRows.some((r) => r.rounds) ? `Each task ran ${growthRows.find((r) => r.rounds)?.rounds} interleaved rounds (the order rotating each round, so a size measured right after its fill is not always measured first); medians of the rounds, with the rounds' min–max of the mean.\n` : ''}
${table(growthRows, [['task', (r) => r.name], ['ops/s', (r) => r.opsPerSecond], ['mean ms', (r) => (r.meanMsMin === undefined ? r.meanMs : `${r.meanMs} (${r.meanMsMin}–${r.meanMsMax})`)], ['p99 ms', (r) => r.p99Ms]])}
${results.growth?.revocationToFourInstances ? `Revocation to 4 instances over ${results.growth.revocationToFourInstances.rounds} revocations: p50 ${results.growth.revocationToFourInstances.p50Ms} ms, p99 ${results.growth.revocationToFourInstances.p99Ms} ms, max ${results.growth.revocationToFourInstances.maxMs} ms.\n` : ''}
## Also measured (in-process, tinybench)

${table([...rows('sessions'), ...rows('passwords')], [['task', (r) => r.name], ['ops/s', (r) => r.opsPerSecond], ['mean ms', (r) => r.meanMs], ['p99 ms', (r) => r.p99Ms]])}
## Running it

- \`pnpm bench\`: everything, then this report. About ${estimateMinutes()} minutes on 2 cores.
- \`BENCH_QUICK=1 pnpm bench\`: a smoke run of the harness (2 rounds × 2 s), marked as such here.
- \`BENCH_ONLY=protected pnpm --filter @acme/auth-server bench\`: one bench; \`BENCH_ROUNDS\`, \`BENCH_DURATION\` (s),
  \`BENCH_WARMUP\` (s), \`BENCH_CONNECTIONS\` override the defaults (5 rounds, 3 s measured per side of a block, 1 s warm-up per slice, 20); \`REDIS_URL\` uses an existing Redis
  instead of a private one (it is then not pinned); \`DATABASE_URL\` a throw-away database on an existing PostgreSQL
  (created, then dropped) instead of a private server.
- \`pnpm --filter @acme/auth-server bench:profile\`: the CPU profile and allocation counts of section 3.
- \`pnpm --filter @acme/auth-server bench:instructions\`: the instruction counts of section 3a (needs valgrind).
`

function estimateMinutes() {
  const m = method ?? { rounds: 5, durationSeconds: 3, warmupSeconds: 1 }
  const rounds = m.quick ? 5 : m.rounds
  const duration = m.quick ? 3 : m.durationSeconds
  const warmup = m.quick ? 1 : m.warmupSeconds
  // Paired blocks: 12 in the protected route, 2 in the BFF, 1 for Next.js, four slices each; 18 scenarios warmed up.
  const loadSeconds = 15 * rounds * 4 * (warmup + duration / 2) + 18 * 3 * warmup
  // + builds and server start-ups (~4 min), auth-core's benches with the 1 M-session growth (~5 min), sign-in (~1.5 min).
  return Math.ceil(loadSeconds / 60 + 4 + 5 + 1.5)
}

mkdirSync(join(root, 'docs'), { recursive: true })
writeFileSync(join(root, 'docs', 'benchmarks.md'), md.replace(/\n{3,}/g, '\n\n'))
writeFileSync(join(root, 'docs', 'benchmarks-ratios.svg'), svg + '\n')
console.log('wrote docs/benchmarks.md and docs/benchmarks-ratios.svg')
