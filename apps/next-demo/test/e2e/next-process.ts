import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

export const appRoot = join(import.meta.dirname, '..', '..')
export const resultsDir = join(appRoot, 'test-results')

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
 * Starts the Next.js demo (`next start` on the build of the global setup, plus apps/demo's
 * upstream API and demo IdP) on free ports, in its own process group, and resolves once it printed
 * its banner (all three answer). Start and stop are bounded in time.
 */
export async function startDemo(name: string, env: Record<string, string> = {}): Promise<RunningDemo> {
  const [port, upstreamPort, idpPort] = [await freePort(), await freePort(), await freePort()]
  mkdirSync(resultsDir, { recursive: true })
  const log = createWriteStream(join(resultsDir, `next-demo-${name}.log`))
  const child = spawn(process.execPath, ['--conditions=@acme/source', '--import', 'tsx', 'scripts/run.ts', 'start'], {
    cwd: appRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      UPSTREAM_PORT: String(upstreamPort),
      IDP_PORT: String(idpPort),
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: '',
      DATABASE_URL: '',
      // Production mode (and Redis mode) refuse to start without a real secret: a fresh one per run.
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      // The admin health panel samples its metrics twice a second, so a test sees it fill.
      DEMO_HEALTH_SAMPLE_MS: '500',
      ...env,
    },
  })
  const pid = child.pid!
  let output = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next-demo ${name} did not start in 120 s:\n${output}`)), 120_000)
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
      reject(new Error(`next-demo ${name} exited (${code}) before it was ready:\n${output}`))
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
    log.end()
  }
  try {
    await ready
  } catch (error) {
    await stop()
    throw error
  }
  return { origin: `http://localhost:${port}`, port, upstreamPort, stop }
}
