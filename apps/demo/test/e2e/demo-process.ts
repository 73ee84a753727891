import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
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
      ...env,
    },
  })
  const pid = child.pid!
  let output = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo ${name} did not start in 45 s:\n${output}`)), 45_000)
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
