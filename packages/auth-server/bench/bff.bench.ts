// req/s and p50/p99 through the BFF, direct to the upstream, and through http-proxy-middleware
// (keep-alive agent), in one run with the same upstream.
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const duration = Number(process.env.BENCH_DURATION ?? 8)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)

function start(role: string, upstream = ''): Promise<{ child: ChildProcess; port: string; cookie: string }> {
  const child = spawn(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', `${here}bff-servers.ts`, role, upstream], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const line = chunk.toString().split('\n').find((l) => l.startsWith('READY '))
      if (line) {
        const [, port, cookie] = line.trim().split(' ')
        resolve({ child, port: port!, cookie: cookie ?? '' })
      }
    })
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)))
  })
}

export interface ProxyResult {
  scenario: string
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  non2xx: number
  errors: number
}

export default async function bffBench(): Promise<ProxyResult[]> {
  const upstream = await start('upstream')
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`
  const results: ProxyResult[] = []
  try {
    for (const scenario of ['direct', 'bff', 'http-proxy-middleware']) {
      const proxy = scenario === 'direct' ? undefined : await start(scenario === 'bff' ? 'bff' : 'hpm', upstreamUrl)
      try {
        const url = proxy ? `http://127.0.0.1:${proxy.port}/api/notes` : `${upstreamUrl}/notes`
        const headers = proxy?.cookie ? { cookie: proxy.cookie } : {}
        await autocannon({ url, headers, connections, duration: 1 })
        const r = await autocannon({ url, headers, connections, duration })
        results.push({ scenario, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts })
      } finally {
        proxy?.child.kill('SIGTERM')
      }
    }
  } finally {
    upstream.child.kill('SIGTERM')
  }
  const direct = results[0]!.requestsPerSecond
  const hpm = results[2]!.requestsPerSecond
  console.log(`\n## BFF proxy, ${connections} connections, ${duration} s each`)
  console.table(results.map((r) => ({ ...r, 'x direct': (r.requestsPerSecond / direct).toFixed(2) })))
  console.log(`bff / http-proxy-middleware = ${(results[1]!.requestsPerSecond / hpm).toFixed(2)} (goal >= 1.0)`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await bffBench()
