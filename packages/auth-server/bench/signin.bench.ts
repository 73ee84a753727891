// Sign-in latency (argon2id at OWASP parameters) at 1, 10 and 50 concurrent clients: p50 and p95.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'

const here = fileURLToPath(new URL('.', import.meta.url))
const seconds = Number(process.env.BENCH_DURATION ?? (process.env.BENCH_QUICK === '1' ? 2 : 5))

export interface SignInRow {
  name: string
  concurrency: number
  requests: number
  p50Ms: number
  p95Ms: number
  non200: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

export default async function signInBench(): Promise<SignInRow[]> {
  const child = spawn(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', `${here}signin-server.ts`], { stdio: ['ignore', 'pipe', 'inherit'] })
  const rows: SignInRow[] = []
  const dispatcher = new Agent({ connections: 64 })
  try {
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
    for (let i = 0; i < 5; i++) await signIn() // warm-up
    for (const concurrency of [1, 10, 50]) {
      const latencies: number[] = []
      let non200 = 0
      const deadline = performance.now() + seconds * 1000
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const started = performance.now()
            if ((await signIn()) !== 200) non200++
            latencies.push(performance.now() - started)
          }
        }),
      )
      latencies.sort((a, b) => a - b)
      rows.push({
        name: `sign-in, ${concurrency} concurrent`,
        concurrency,
        requests: latencies.length,
        p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
        p95Ms: Number(percentile(latencies, 0.95).toFixed(1)),
        non200,
      })
    }
  } finally {
    child.kill('SIGTERM')
    await dispatcher.close()
  }
  console.log('\n## sign-in latency (argon2id m=19456 t=2 p=1)')
  console.table(rows)
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) await signInBench()
