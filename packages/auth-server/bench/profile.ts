// `pnpm --filter @acme/auth-server bench:profile`: where the time of a protected request goes.
// Each scenario's server runs under `node --cpu-prof` on the server core; after a warm-up the bench
// marks a window, loads it for BENCH_PROFILE_SECONDS, and summarises the samples of that window
// (self time, top 15 functions, share per group) plus the bytes allocated per request (v8.GCProfiler
// in the child over the same window). Writes bench/results/profile.{json,md}; the raw profiles stay
// in bench/results/profiles/ for DevTools or speedscope.
import { machine, machineBusyPercent, pinLoadGenerator } from '@acme/tooling/bench'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { summariseProfile, type CpuProfile, type ProfileSummary } from './lib/cpu-profile.js'
import type { Allocations } from './lib/bench-child.js'
import { protectedScenarios, type ProtectedScenario } from './lib/protected-scenarios.js'
import { gate, load, type Scenario } from './lib/rounds.js'
import { benchPostgres } from './lib/bench-postgres.js'
import { benchRedis, sharedCookie, startProtectedServers, usesPostgres } from './protected-route.bench.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const quick = process.env.BENCH_QUICK === '1'
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? (quick ? 3 : 10))
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)
const names = (process.env.BENCH_PROFILE_SCENARIOS ?? 'ideal,acme-memory,acme-redis,acme-redis-cached').split(',') as ProtectedScenario[]
const groups = ['acme', 'express', 'node internals', 'ioredis', 'gc', 'v8 (program)', 'bench app']

for (const name of names) if (!protectedScenarios.includes(name)) throw new Error(`unknown scenario ${name}`)

interface ScenarioProfile extends ProfileSummary, Allocations {
  scenario: ProtectedScenario
  requestsPerSecond: number
  requests: number
  allocatedBytesPerRequest: number
  gcPer1000Requests: number
}

pinLoadGenerator()
const resultsDir = `${here}results/`
const profilesDir = `${resultsDir}profiles/`
rmSync(profilesDir, { recursive: true, force: true })
mkdirSync(profilesDir, { recursive: true })
const othersBusyPercentBefore = await machineBusyPercent()
const redis = await benchRedis()
const postgres = names.some(usesPostgres) ? await benchPostgres() : undefined
const profiles: ScenarioProfile[] = []
try {
  for (const name of names) {
    const dir = `${profilesDir}${name}/`
    const servers = await startProtectedServers([name], redis.url, { ...(postgres ? { databaseUrl: postgres.url } : {}), nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const server = servers.get(name)!
    let window: { from: number; to: number; requests: number; requestsPerSecond: number; allocations: Allocations }
    try {
      const cookie = await sharedCookie(servers.values())
      const scenario: Scenario = { name, url: `http://127.0.0.1:${server.port}/protected`, body: (text) => text.includes('bench-user'), refusesAnonymous: true }
      await gate(scenario, cookie)
      await load(scenario, cookie, quick ? 1 : 3, connections) // warm-up
      const from = await server.ask<number>('mark')
      await server.ask('alloc-start')
      const measured = await load(scenario, cookie, seconds, connections)
      const allocations = await server.ask<Allocations>('alloc-stop')
      const to = await server.ask<number>('mark')
      window = { from, to, requests: measured.requests, requestsPerSecond: measured.requestsPerSecond, allocations }
    } finally {
      await server.stop()
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`${name}: --cpu-prof wrote no profile in ${dir}`)
    const summary = summariseProfile(JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as CpuProfile, window.from, window.to)
    profiles.push({
      scenario: name,
      requestsPerSecond: window.requestsPerSecond,
      requests: window.requests,
      ...summary,
      ...window.allocations,
      allocatedBytesPerRequest: Math.round(window.allocations.allocatedBytes / window.requests),
      gcPer1000Requests: Number(((1000 * window.allocations.gcs) / window.requests).toFixed(3)),
    })
    console.log(`${name}: ${window.requestsPerSecond} req/s under the profiler, ${(window.allocations.allocatedBytes / window.requests / 1024).toFixed(1)} KiB allocated per request`)
  }
} finally {
  await Promise.all([redis.close(), postgres?.close()])
}

const result = { bench: 'profile', at: new Date().toISOString(), method: { quick, seconds, connections, redis: redis.where }, machine: machine(), othersBusyPercentBefore, groups, scenarios: profiles }
writeFileSync(`${resultsDir}profile.json`, JSON.stringify(result, null, 2))

const pct = (n: number | undefined) => (n ?? 0).toFixed(1)
const md = [
  `# Protected route: where the time goes (${result.at.slice(0, 10)}, ${seconds} s per scenario${quick ? ', smoke run' : ''})`,
  '',
  `| scenario | req/s | ${groups.map((g) => `${g} %`).join(' | ')} | KiB / request | GCs / 1000 req |`,
  `|---|---|${groups.map(() => '---').join('|')}|---|---|`,
  ...profiles.map((p) => `| ${p.scenario} | ${p.requestsPerSecond} | ${groups.map((g) => pct(p.groups[g])).join(' | ')} | ${(p.allocatedBytesPerRequest / 1024).toFixed(1)} | ${p.gcPer1000Requests} |`),
  '',
  ...profiles.flatMap((p) => [
    `## ${p.scenario}: top ${p.top.length} by self time`,
    '',
    '| function | where | group | self % |',
    '|---|---|---|---|',
    ...p.top.map((f) => `| \`${f.name}\` | ${f.where} | ${f.group} | ${pct(f.selfPercent)} |`),
    '',
  ]),
].join('\n')
writeFileSync(`${resultsDir}profile.md`, md)
console.log(`\n${md}\nwrote bench/results/profile.json and profile.md (raw profiles in bench/results/profiles/)`)
