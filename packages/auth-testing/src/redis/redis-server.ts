import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePort } from './free-port.js'
import { waitForRedis } from './redis-ping.js'

/** A `redis-server` process that a test started on its own loopback port. */
export interface TestRedisServer {
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** Stops the server (SIGTERM, which flushes the append-only file) and waits for it to exit. */
  stop(): Promise<void>
  /** Kills the server at once (SIGKILL), as a crash would; acknowledged writes survive (fsync always). */
  kill(): Promise<void>
  /** Starts it again on the same port with the same data directory; waits until it answers. */
  start(): Promise<void>
  /** Stops it for good and deletes its data directory. */
  close(): Promise<void>
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/**
 * Starts a private Redis on a free loopback port, so a test can stop and restart it (outages,
 * restarts) without touching anyone else's Redis. Data survives `stop()`/`start()` (append-only
 * file, fsync always) unless `persistent: false`. Needs `redis-server` on the PATH.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer()
 * const client = new Redis(redis.url, { enableOfflineQueue: false })
 * await redis.stop()  // outage
 * await redis.start() // back, with its data
 * await redis.close()
 * ```
 */
export async function startRedisServer(
  options: { port?: number; persistent?: boolean; args?: readonly string[] } = {},
): Promise<TestRedisServer> {
  const port = options.port ?? (await findFreePort())
  const dir = mkdtempSync(join(tmpdir(), 'acme-redis-'))
  const persistence = options.persistent === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always']
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...persistence, ...(options.args ?? [])]
  let child: ChildProcess | undefined

  const start = async () => {
    if (child) return
    const started = spawn('redis-server', args, { stdio: 'ignore' })
    child = started
    live.add(started)
    started.once('exit', () => {
      live.delete(started)
      if (child === started) child = undefined
    })
    await waitForRedis(port)
  }

  const end = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const running = child
    if (!running) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill(signal)
    await exited
  }
  const stop = () => end('SIGTERM')

  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    kill: () => end('SIGKILL'),
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
