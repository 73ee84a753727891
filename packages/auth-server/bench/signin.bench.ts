// Sign-in latency (argon2id at OWASP parameters): p50 and p95 at 1, 10 and 50 concurrent clients,
// over BENCH_ROUNDS interleaved rounds (the order rotates each round), reported as the median of
// the rounds with their min–max.
//
// Where the server runs: argon2id hashes on libuv's thread pool, so a sign-in server uses every
// core it has, as it would in production. The load generator (this process, ≤ 200 sign-ins/s, a few
// percent of a core) stays on core 0; the server gets both cores (`taskset -c 0,1`). A second
// server on core 1 alone shows the one-core case at 10 concurrent: ten hashes of ~12 ms queue on one
// core, so its p50 cannot be under ~10 × 12 ms.
import { pinLoadGenerator, rotation, spread } from '@acme/tooling/bench'
import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { benchChildFlags, requireBuilt } from './lib/server-process.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const quick = process.env.BENCH_QUICK === '1'
const seconds = Number(process.env.BENCH_DURATION ?? (quick ? 1 : 3))
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 5))

export interface SignInRow {
  name: string
  cores: string
  concurrency: number
  requests: number
  p50Ms: number
  p95Ms: number
  p50Spread: { min: number; max: number }
  p95Spread: { min: number; max: number }
  non200: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

interface SignInServer {
  cores: string
  signIn(): Promise<number>
  stop(): void
}

async function startSignInServer(cores: string, dispatcher: Agent): Promise<SignInServer> {
  requireBuilt()
  const argv = [process.execPath, ...benchChildFlags, `${here}signin-server.ts`]
  // Without taskset (one core, or not installed) the server inherits this process's cores.
  const pinned = pinLoadGenerator()
  const child = pinned ? spawn('taskset', ['-c', cores, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
  const ready = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      const line = data.toString().split('\n').find((l) => l.startsWith('READY '))
      if (line) resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`sign-in server exited with ${code}`)))
  })
  const [, port, cookie, csrf] = ready.split(' ') as [string, string, string, string]
  const body = JSON.stringify({ email: 'alice@example.com', password: 'alice-password' })
  const headers = { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-csrf-token': csrf, cookie }
  const signIn = async () => {
    const res = await request(`http://127.0.0.1:${port}/auth/login`, { method: 'POST', headers, body, dispatcher })
    await res.body.dump()
    return res.statusCode
  }
  for (let i = 0; i < 10; i++) await signIn() // warm-up
  return { cores: pinned ? cores : 'unpinned', signIn, stop: () => child.kill('SIGTERM') }
}

/** `concurrency` clients signing in back to back for `seconds`: every latency and the non-200s. */
async function load(server: SignInServer, concurrency: number) {
  const latencies: number[] = []
  let non200 = 0
  const deadline = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now()
        if ((await server.signIn()) !== 200) non200++
        latencies.push(performance.now() - started)
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return { requests: latencies.length, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), non200 }
}

export default async function signInBench(): Promise<{ rows: SignInRow[]; method: Record<string, unknown> }> {
  const dispatcher = new Agent({ connections: 64 })
  const servers: SignInServer[] = []
  try {
    const both = await startSignInServer(cpus().length > 1 ? '0,1' : '0', dispatcher)
    const one = await startSignInServer(cpus().length > 1 ? '1' : '0', dispatcher)
    servers.push(both, one)
    const configurations = [
      { server: both, concurrency: 1 },
      { server: both, concurrency: 10 },
      { server: both, concurrency: 50 },
      { server: one, concurrency: 10 },
    ]
    const samples = configurations.map(() => [] as Array<Awaited<ReturnType<typeof load>>>)
    for (let round = 0; round < rounds; round++) {
      for (const configuration of rotation(configurations, round)) {
        samples[configurations.indexOf(configuration)]!.push(await load(configuration.server, configuration.concurrency))
      }
    }
    const rows = configurations.map(({ server, concurrency }, i): SignInRow => {
      const taken = samples[i]!
      const p50 = spread(taken.map((s) => s.p50))
      const p95 = spread(taken.map((s) => s.p95))
      const round1 = (n: number) => Number(n.toFixed(1))
      return {
        name: `sign-in, ${concurrency} concurrent, server on core${server.cores.includes(',') ? 's' : ''} ${server.cores}`,
        cores: server.cores,
        concurrency,
        requests: taken.reduce((sum, s) => sum + s.requests, 0),
        p50Ms: round1(p50.median),
        p95Ms: round1(p95.median),
        p50Spread: { min: round1(p50.min), max: round1(p50.max) },
        p95Spread: { min: round1(p95.min), max: round1(p95.max) },
        non200: taken.reduce((sum, s) => sum + s.non200, 0),
      }
    })
    console.log(`\n## sign-in latency (argon2id m=19456 t=2 p=1), ${rounds} rounds × ${seconds} s, median of the rounds`)
    console.table(rows.map(({ p50Spread, p95Spread, ...row }) => ({ ...row, p50Range: `${p50Spread.min}–${p50Spread.max}`, p95Range: `${p95Spread.min}–${p95Spread.max}` })))
    return { rows, method: { rounds, seconds, quick, loadGeneratorCore: 0 } }
  } finally {
    for (const server of servers) server.stop()
    await dispatcher.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await signInBench()
