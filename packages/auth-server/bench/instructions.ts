// `pnpm --filter @acme/auth-server bench:instructions`: CPU instructions per protected request,
// counted by valgrind's callgrind in each scenario's server. Requests per second move ±10 % with
// whatever else the two cores do; instruction counts do not (the same build and input give the same
// count within a fraction of a percent), so this tells a 2 % regression of our own code from noise
// on a busy machine. It complements the req/s rounds, it does not replace them: it ignores waiting
// (Redis round trips, the event loop) and cache misses.
//
// Each server runs under callgrind with instrumentation off while it starts, is warmed up by
// BENCH_INSTR_WARMUP requests (the JIT settles), then counted over BENCH_INSTR_PASSES passes of
// BENCH_INSTR_REQUESTS requests each; the median pass is reported. Then the same for the BFF and
// http-proxy-middleware in front of one upstream (BENCH_INSTR_PROXIES; empty for none). Writes
// bench/results/instructions.{json,md}.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { gate } from './lib/rounds.js'
import { startServer, type ServerProcess } from './lib/server-process.js'
import { benchRedis, sharedCookie, startProtectedServers } from './protected-route.bench.js'
import { protectedScenarios, type ProtectedScenario } from './lib/protected-scenarios.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const names = (process.env.BENCH_INSTR_SCENARIOS ?? 'bare,ideal,acme-memory,acme-redis-cached,acme-redis,express-session-memory,express-session-redis,acme-token').split(',') as ProtectedScenario[]
const warmup = Number(process.env.BENCH_INSTR_WARMUP ?? 6000)
const requests = Number(process.env.BENCH_INSTR_REQUESTS ?? 2000)
const passes = Number(process.env.BENCH_INSTR_PASSES ?? 3)
for (const name of names) if (!protectedScenarios.includes(name)) throw new Error(`unknown scenario ${name}`)

const resultsDir = `${here}results/`
const outDir = `${resultsDir}callgrind/`
rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

/** Sends `amount` requests with 4 connections; throws on any non-2xx. */
async function send(url: string, cookie: string, amount: number): Promise<void> {
  // Under valgrind a request takes milliseconds: a generous timeout, so none is cut off.
  const result = await autocannon({ url, headers: { cookie }, connections: 4, amount, timeout: 60 })
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
}

/** Instructions since the last zeroing: dumps the counters of `pid` and reads the dump's totals. */
function dumpTotal(pid: number, file: string): number {
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' })
  // callgrind appends `.<n>` per dump; the newest is the one just written.
  // With --separate-threads, each dump writes `<file>.<n>-<thread>`; thread 01 is the main thread.
  const dumps = execFileSync('sh', ['-c', `ls -t ${file}.*-01 | head -1`]).toString().trim()
  const totals = /^totals: (\d+)/m.exec(readFileSync(dumps, 'utf8'))
  if (!totals) throw new Error(`no totals in ${dumps}`)
  return Number(totals[1])
}

interface Row {
  scenario: string
  instructionsPerRequest: number
  passes: number[]
}

const proxyNames = ['bff', 'http-proxy-middleware'] as const
const proxies = (process.env.BENCH_INSTR_PROXIES ?? proxyNames.join(',')).split(',').filter(Boolean)
for (const name of proxies) if (!(proxyNames as readonly string[]).includes(name)) throw new Error(`unknown proxy ${name}`)

/** Per thread: V8 compiles and collects on helper threads whose timing varies; the main thread's count is the request path's. */
const callgrind = (file: string) => ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${file}`]

/** Warms `server` up under callgrind, then counts `passes` passes; the median pass is its row. */
async function count(name: string, server: ServerProcess, file: string, url: string, cookie: string): Promise<Row> {
  const pid = server.child.pid!
  execFileSync('callgrind_control', ['--instr=on', String(pid)], { stdio: 'ignore' })
  await send(url, cookie, warmup)
  const counts: number[] = []
  for (let pass = 0; pass < passes; pass++) {
    execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' })
    await send(url, cookie, requests)
    counts.push(Math.round(dumpTotal(pid, file) / requests))
  }
  const sorted = [...counts].sort((a, b) => a - b)
  console.log(`${name}: ${counts.join(' / ')} instructions per request`)
  return { scenario: name, instructionsPerRequest: sorted[Math.floor(sorted.length / 2)]!, passes: counts }
}

const redis = await benchRedis()
const rows: Row[] = []
try {
  for (const name of names) {
    const file = `${outDir}${name}.out`
    const servers = await startProtectedServers([name], redis.url, { wrapper: () => callgrind(file) })
    const server = servers.get(name)!
    try {
      const cookie = await sharedCookie(servers.values())
      const url = `http://127.0.0.1:${server.port}/protected`
      await gate({ name, url, body: (text) => text.includes('bench-user'), refusesAnonymous: name !== 'bare' }, cookie)
      rows.push(await count(name, server, file, url, cookie))
    } finally {
      await server.stop()
    }
  }
} finally {
  await redis.close()
}

// The BFF bench's proxies, each under callgrind in front of the same upstream (not counted, beside
// the load generator), every request with the BFF's session cookie as in its rounds.
if (proxies.length > 0) {
  const upstream = await startServer('upstream', `${here}bff-servers.ts`, ['upstream'], { core: 'load-generator' })
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`
  let cookie = ''
  try {
    for (const name of proxies) {
      const role = name === 'bff' ? 'bff' : 'hpm'
      const file = `${outDir}${name}.out`
      const server = await startServer(role, `${here}bff-servers.ts`, [role, upstreamUrl], { wrapper: callgrind(file) })
      try {
        if (role === 'bff') cookie = await server.cookie()
        else if (cookie === '') cookie = await bffCookie(upstreamUrl)
        const url = `http://127.0.0.1:${server.port}/api/notes`
        await gate({ name, url, body: (text) => text.includes('hello'), refusesAnonymous: role === 'bff' }, cookie)
        rows.push(await count(name, server, file, url, cookie))
      } finally {
        await server.stop()
      }
    }
  } finally {
    await upstream.stop()
  }
}

/** A BFF session cookie when the BFF itself is not counted. */
async function bffCookie(upstreamUrl: string): Promise<string> {
  const bff = await startServer('bff', `${here}bff-servers.ts`, ['bff', upstreamUrl], { core: 'load-generator' })
  try {
    return await bff.cookie()
  } finally {
    await bff.stop()
  }
}

const by = new Map(rows.map((row) => [row.scenario, row.instructionsPerRequest]))
const ratio = (numerator: string, denominator: string) => {
  const a = by.get(numerator)
  const b = by.get(denominator)
  // Fewer instructions is faster: the throughput ratio is denominator ÷ numerator.
  return a && b ? Number((b / a).toFixed(3)) : undefined
}
const ratios = {
  'acme-memory vs ideal': ratio('acme-memory', 'ideal'),
  'acme-redis-cached vs ideal': ratio('acme-redis-cached', 'ideal'),
  'acme-memory vs bare': ratio('acme-memory', 'bare'),
  'ideal vs bare': ratio('ideal', 'bare'),
  'acme-token vs bare': ratio('acme-token', 'bare'),
  'acme-redis-cached vs bare': ratio('acme-redis-cached', 'bare'),
  'acme-redis vs express-session-redis': ratio('acme-redis', 'express-session-redis'),
  'acme-memory vs express-session-memory': ratio('acme-memory', 'express-session-memory'),
  'bff vs http-proxy-middleware': ratio('bff', 'http-proxy-middleware'),
}
const md = [
  `# Instructions per protected request (callgrind), ${new Date().toISOString()}`,
  '',
  `${warmup} warm-up requests, then ${passes} passes of ${requests}; median pass. Node ${process.version}.`,
  '',
  '| scenario | instructions per request | passes |',
  '|---|---:|---|',
  ...rows.map((row) => `| ${row.scenario} | ${row.instructionsPerRequest.toLocaleString('en')} | ${row.passes.map((n) => n.toLocaleString('en')).join(' / ')} |`),
  '',
  '| throughput ratio implied by the counts (denominator ÷ numerator instructions) | |',
  '|---|---:|',
  ...Object.entries(ratios).filter(([, value]) => value !== undefined).map(([name, value]) => `| ${name} | ${value} |`),
  '',
].join('\n')
writeFileSync(`${resultsDir}instructions.json`, JSON.stringify({ at: new Date().toISOString(), node: process.version, warmup, requests, passes, rows, ratios }, null, 2))
writeFileSync(`${resultsDir}instructions.md`, md)
console.log(md)
