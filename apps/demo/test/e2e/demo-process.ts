import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

export const demoRoot = join(import.meta.dirname, '..', '..')
export const resultsDir = join(demoRoot, 'test-results')

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface RunningDemo {
  /** `http://localhost:<port>`: the page origin (cookies with `__Host-` need a secure context). */
  origin: string
  port: number
  upstreamPort: number
  stop(): Promise<void>
}

/**
 * Starts the whole demo (web app, upstream API, demo IdP) on free ports from the prebuilt client,
 * in its own process group, and resolves once it printed its banner (all three listen).
 */
/** Passwords of the seeded demo accounts: never in a log. */
const demoPasswords = ['alice-password', 'bob-password']

/**
 * What must never be in a log, with the line it was found on: a session token (`<id>.<secret>`), a
 * JWT, an auth cookie, a demo password, a full email address in a JSON log line, an IP address.
 * The production banner names the demo accounts (public, in the README): only JSON lines are
 * checked for addresses.
 */
export function secretsInLog(text: string): string[] {
  const findings: string[] = []
  for (const line of text.split('\n')) {
    const found = [
      /[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}/.test(line) && 'a session token',
      /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(line) && 'a JWT',
      /__(Host|Secure)-(sid|access|refresh|csrf|mfa)=[^;\s]/.test(line) && 'an auth cookie',
      demoPasswords.some((password) => line.includes(password)) && 'a password',
      line.startsWith('{') && /[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.test(line) && 'an email address',
      // Not a version number (`Chrome/156.0.0.0`): an address stands alone.
      line.startsWith('{') && /(?<![\w/.])\d{1,3}(\.\d{1,3}){3}(?![\w.])|"ip"/.test(line) && 'an IP address',
    ].filter(Boolean)
    if (found.length > 0) findings.push(`${found.join(', ')}: ${line.slice(0, 160)}`)
  }
  return findings
}

export async function startDemo(name: string, env: Record<string, string> = {}): Promise<RunningDemo> {
  const [port, upstreamPort, idpPort] = [await freePort(), await freePort(), await freePort()]
  mkdirSync(resultsDir, { recursive: true })
  const log = createWriteStream(join(resultsDir, `demo-${name}.log`))
  const child = spawn(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: demoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      TSX_TSCONFIG_PATH: 'tsconfig.tsx.json',
      PORT: String(port),
      UPSTREAM_PORT: String(upstreamPort),
      IDP_PORT: String(idpPort),
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: '',
      DATABASE_URL: '',
      // Production mode (and Redis mode) refuse to start without a real secret: a fresh one per run.
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      // The admin health panel samples twice a second, so a test sees its charts move.
      DEMO_HEALTH_SAMPLE_MS: '500',
      ...env,
    },
  })
  const pid = child.pid!
  let output = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo ${name} did not start in 120 s:\n${output}`)), 120_000)
    const onData = (chunk: Buffer) => {
      log.write(chunk)
      output += chunk.toString()
      if (output.includes('Demo accounts')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`demo ${name} exited (${code}) before it was ready:\n${output}`))
    })
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const stop = async () => {
    try {
      process.kill(-pid, 'SIGTERM')
    } catch {
      return
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref())
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await new Promise<void>((resolve) => log.end(resolve))
    // The whole run's log (audit lines, the demo's children): no secret may be in it.
    const findings = secretsInLog(readFileSync(join(resultsDir, `demo-${name}.log`), 'utf8'))
    if (findings.length > 0) throw new Error(`demo-${name}.log holds secrets:\n${findings.join('\n')}`)
  }
  try {
    await ready
  } catch (error) {
    await stop()
    throw error
  }
  return { origin: `http://localhost:${port}`, port, upstreamPort, stop }
}
