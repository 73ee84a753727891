// A protected route's req/s and p99 under autocannon: bare Express, @acme/auth-server (memory,
// Redis uncached, Redis cached), express-session (MemoryStore, connect-redis). One run, same load.
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const scenarios = ['bare', 'acme-memory', 'acme-redis', 'acme-redis-cached', 'express-session-memory', 'express-session-redis'] as const
const duration = Number(process.env.BENCH_DURATION ?? 8)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)
const here = fileURLToPath(new URL('.', import.meta.url))

export interface RouteResult {
  scenario: (typeof scenarios)[number]
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
}

async function measure(scenario: (typeof scenarios)[number]): Promise<RouteResult> {
  const child = spawn(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', `${here}protected-route-server.ts`, scenario], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const line = chunk.toString().split('\n').find((l) => l.startsWith('READY '))
        if (line) resolve(line)
      })
      child.once('exit', (code) => reject(new Error(`${scenario} server exited with ${code}`)))
    })
    const [, port, cookie] = ready.trim().split(' ')
    const url = `http://127.0.0.1:${port}/protected`
    const headers = cookie ? { cookie } : {}
    await autocannon({ url, headers, connections, duration: 1 }) // warm-up
    const result = await autocannon({ url, headers, connections, duration })
    return {
      scenario,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    }
  } finally {
    child.kill('SIGTERM')
  }
}

export default async function protectedRouteBench(): Promise<RouteResult[]> {
  // Two rounds, scenarios interleaved, best of the two kept: on 2 shared cores one run swings by
  // ±10 %, mostly from whatever else the machine does for a few seconds.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
  const best = new Map<string, RouteResult>()
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const result = await measure(scenario)
      if ((best.get(scenario)?.requestsPerSecond ?? -1) < result.requestsPerSecond) best.set(scenario, result)
    }
  }
  const results = scenarios.map((scenario) => best.get(scenario)!)
  const bare = results[0]!.requestsPerSecond
  const by = (name: string) => results.find((r) => r.scenario === name)!.requestsPerSecond
  console.log(`\n## protected route, ${connections} connections, ${duration} s each, best of ${rounds} rounds`)
  console.table(results.map((r) => ({ ...r, 'x bare': (r.requestsPerSecond / bare).toFixed(2) })))
  console.log(`acme memory / bare = ${(by('acme-memory') / bare).toFixed(2)} (goal >= 0.9)`)
  console.log(`acme redis uncached / express-session+connect-redis = ${(by('acme-redis') / by('express-session-redis')).toFixed(2)} (goal >= 1.3)`)
  console.log(`acme redis cached / bare = ${(by('acme-redis-cached') / bare).toFixed(2)} (goal >= 0.85)`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await protectedRouteBench()
