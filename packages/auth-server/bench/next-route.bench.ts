// A Next.js Route Handler that reads the session with `auth.getSession()` ÷ the same handler
// without it (goal ≥ 0.9), on apps/next-demo's production build (`next start`, memory stores, the
// session strategy), the server on its own core. Interleaved rounds like the other load benches.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { onServerCore, pinLoadGenerator } from '@acme/tooling/bench'
import { runRounds, type RatioGoal } from './lib/rounds.js'

const appRoot = fileURLToPath(new URL('../../../apps/next-demo/', import.meta.url))
type Name = 'next-plain' | 'next-get-session'

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

export const nextRatios: ReadonlyArray<RatioGoal<Name>> = [
  { name: 'Next.js route handler with getSession() ÷ the same handler without it', numerator: 'next-get-session', denominator: 'next-plain', goal: 0.9 },
]

export default async function nextRouteBench() {
  pinLoadGenerator()
  if (!existsSync(`${appRoot}.next/BUILD_ID`)) {
    console.log('   building apps/next-demo (next build --webpack)…')
    execFileSync('pnpm', ['exec', 'next', 'build', '--webpack'], { cwd: appRoot, stdio: 'inherit', timeout: 300_000 })
  }
  const [port, upstreamPort, idpPort] = [await freePort(), await freePort(), await freePort()]
  const [command, args] = onServerCore([process.execPath, '--conditions=@acme/source', '--import', 'tsx', 'scripts/run.ts', 'start'])
  const child = spawn(command, args, {
    cwd: appRoot,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NEXT_DEMO_BENCH: '1',
      PORT: String(port),
      UPSTREAM_PORT: String(upstreamPort),
      IDP_PORT: String(idpPort),
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: '',
      DATABASE_URL: '',
      AUTH_SECRET: randomBytes(32).toString('base64url'),
    },
  })
  const origin = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 120_000
    for (;;) {
      const ok = await fetch(`${origin}/bench/plain`).then((r) => r.ok, () => false)
      if (ok) break
      if (Date.now() > deadline) throw new Error('next-demo did not answer in 120 s')
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    // Sign in once, as a browser would: the CSRF cookie, then the session cookie.
    const csrf = await fetch(`${origin}/auth/csrf`, { headers: { origin: `http://localhost:${port}` } })
    const csrfCookie = csrf.headers.getSetCookie()[0]!.split(';')[0]!
    const { csrfToken } = (await csrf.json()) as { csrfToken: string }
    const login = await fetch(`${origin}/auth/login`, {
      method: 'POST',
      headers: { origin: `http://localhost:${port}`, cookie: csrfCookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-password' }),
    })
    if (login.status !== 200) throw new Error(`sign-in for the bench answered ${login.status}`)
    const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ')
    const result = await runRounds<Name>(
      'Next.js route handler',
      [
        { name: 'next-plain', url: `${origin}/bench/plain`, body: (text) => text.includes('"bench"'), refusesAnonymous: false },
        { name: 'next-get-session', url: `${origin}/bench/session`, body: (text) => text.includes('"u-alice"'), refusesAnonymous: true },
      ],
      nextRatios,
      () => Promise.resolve(cookie),
    )
    return result
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      // gone already
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await nextRouteBench()
