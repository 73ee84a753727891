import { fork, spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { demoAccounts, readConfig } from '@acme/demo/config'

// `pnpm --filter @acme/next-demo dev` (next dev) and `… start` (next start after next build): the
// Next.js app, plus apps/demo's upstream notes API and demo IdP as child processes, with the same
// environment variables and ports as apps/demo.
const mode = process.argv[2] === 'start' ? 'start' : 'dev'
let config: ReturnType<typeof readConfig>
try {
  config = readConfig()
} catch (error) {
  console.error(`[next-demo] ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}

const require = createRequire(import.meta.url)
const demoRoot = dirname(require.resolve('@acme/demo/package.json'))
const nextBin = require.resolve('next/dist/bin/next')
const appRoot = join(import.meta.dirname, '..')
const children: ChildProcess[] = []
let stopping = false

const watch = (name: string, child: ChildProcess) => {
  children.push(child)
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`[next-demo] the ${name} process ended (${signal ?? code}); stopping`)
    stop(1)
  })
}

/** apps/demo's `src/<name>/main.ts` in its own Node process; resolves once it listens. */
function startDemoService(name: 'upstream' | 'idp'): Promise<void> {
  const child = fork(join(demoRoot, 'src', name, 'main.ts'), {
    cwd: demoRoot,
    execArgv: ['--conditions=@acme/source', '--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(demoRoot, 'tsconfig.tsx.json') },
    stdio: 'inherit',
  })
  watch(name, child)
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('error', reject)
  })
}

/** `next dev` or `next start` on 127.0.0.1:$PORT (the upstream reads the JWKS there); resolves once it answers. */
async function startNext(): Promise<void> {
  const args = mode === 'dev' ? ['dev', '--webpack'] : ['start']
  const child = spawn(process.execPath, [nextBin, ...args, '--port', String(config.port), '--hostname', '127.0.0.1'], {
    cwd: appRoot,
    env: { ...process.env, NODE_ENV: mode === 'dev' ? 'development' : 'production' },
    stdio: 'inherit',
  })
  watch('next', child)
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${config.port}/.well-known/jwks.json`, { signal: AbortSignal.timeout(60_000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  throw new Error(`next ${args[0]} did not answer on port ${config.port} in 120 s`)
}

function stop(code: number): void {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  process.exit(code)
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0))

await Promise.all([startNext(), startDemoService('upstream'), startDemoService('idp')])
console.warn(`
  Acme Auth Next.js demo (${mode === 'dev' ? 'next dev' : 'next start'})
  web app     ${config.appOrigin}
  upstream    http://localhost:${config.upstreamPort}   (Bearer JWTs only, verified with ${config.appOrigin}/.well-known/jwks.json)
  demo IdP    ${config.idpOrigin}
  strategy    ${config.strategy}, access tokens live ${config.accessTokenSeconds} s

  Demo accounts (their passwords are in the README: no log shows a password)
  ${demoAccounts.map((account) => `${account.email.padEnd(20)} ${account.roles.join(', ')}`).join('\n  ')}
`)
