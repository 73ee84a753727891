import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePort } from '../redis/free-port.js'

/** A PostgreSQL server that a test started in a temporary directory, on its own loopback port. */
export interface TestPostgresServer {
  readonly port: number
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, superuser `postgres`). */
  readonly url: string
  /** The temporary directory: the data directory (`data/`) and the Unix socket. Removed by `close()`. */
  readonly dir: string
  /** Fast shutdown (SIGINT: clients are disconnected, open transactions rolled back); waits for the exit. */
  stop(): Promise<void>
  /** SIGKILL of the postmaster, as a crash would; committed data survives (crash recovery on `start()`). */
  kill(): Promise<void>
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>
  /** `stop()`, then `start()`. */
  restart(): Promise<void>
  /**
   * Freezes the server (SIGSTOP of the postmaster and its backends; Linux): connections stay open
   * but nothing answers, as in a network partition. Until `resume()`; `stop()`/`kill()`/`close()` resume first.
   */
  pause(): void
  /** Lets a paused server go on (SIGCONT). */
  resume(): void
  /** Stops it for good and deletes its directory. */
  close(): Promise<void>
}

/** Options of {@link startPostgresServer}. */
export interface TestPostgresServerOptions {
  /** @default a free loopback port */
  port?: number
  /**
   * The directory of `initdb` and `postgres`.
   * @default process.env.PG_BIN, else the newest `/usr/lib/postgresql/<version>/bin`, else the PATH
   */
  binDir?: string
  /** More server settings (`-c name=value`), e.g. `{ max_connections: 20 }`. */
  settings?: Readonly<Record<string, string | number>>
  /** How long `start()` waits for the server to accept connections. @default 20_000 */
  startTimeoutMs?: number
}

const live = new Set<ChildProcess>()
const frozen = new Set<number>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
  for (const pid of frozen) signal(pid, 'SIGCONT') // so its backends notice the postmaster is gone
})

/** Sends a signal, ignoring a process that has already gone. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // gone already
  }
}

/** The pids of `pid`'s child processes (Linux `/proc`; empty elsewhere). */
function childrenOf(pid: number): number[] {
  if (!existsSync('/proc')) return []
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // "<pid> (<comm>) <state> <ppid> …": the command may hold spaces and parentheses.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return children
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `PG_BIN`, else the newest Debian `/usr/lib/postgresql/<version>/bin` holding `initdb`, else '' (the PATH). */
function findBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return ''
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
  return versions[0] === undefined ? '' : join(root, versions[0], 'bin')
}

/** The uid and gid of the `postgres` OS user, which `initdb` and `postgres` run as when we are root. */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'))
  const [, , uid, gid] = line?.split(':') ?? []
  if (uid === undefined || gid === undefined) {
    throw new Error('startPostgresServer: running as root needs a "postgres" OS user (PostgreSQL refuses to run as root)')
  }
  return { uid: Number(uid), gid: Number(gid) }
}

/** Runs a command to completion; rejects with its stderr when it exits non-zero. */
function run(command: string, args: readonly string[], options: { cwd: string; uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${String(code)}: ${stderr.trim()}`))))
  })
}

/**
 * Starts a private PostgreSQL (`initdb` into a temporary directory, then `postgres` as a child
 * process) on a free loopback port, so a test can stop, kill and restart it without touching
 * anyone else's database: trust authentication, `listen_addresses=127.0.0.1`, its Unix socket
 * inside the directory, and `fsync=off` for speed (commits still reach the OS, so they survive a
 * `kill()`; they would not survive a power cut). When the test process runs as root, both run as
 * the `postgres` OS user. Needs PostgreSQL's server binaries: `PG_BIN`, Debian's
 * `/usr/lib/postgresql/<version>/bin`, or the PATH. About 1–2 s to start, most of it `initdb`.
 *
 * @example
 * ```ts
 * const server = await startPostgresServer()
 * const pool = new pg.Pool({ connectionString: server.url, connectionTimeoutMillis: 500 })
 * await server.kill()  // outage: connections are refused
 * await server.start() // back, with its data
 * await pool.end()
 * await server.close()
 * ```
 */
export async function startPostgresServer(options: TestPostgresServerOptions = {}): Promise<TestPostgresServer> {
  const binDir = options.binDir ?? findBinDir()
  const bin = (name: string) => (binDir === '' ? name : join(binDir, name))
  const port = options.port ?? (await findFreePort())
  const startTimeoutMs = options.startTimeoutMs ?? 20_000
  const owner: { uid?: number; gid?: number } = process.getuid?.() === 0 ? postgresUser() : {}
  const dir = mkdtempSync(join(tmpdir(), 'acme-pg-'))
  const data = join(dir, 'data')
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(dir, owner.uid, owner.gid)
  const spawnOptions = { cwd: dir, ...owner }

  try {
    await run(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '--encoding=UTF8', '--no-sync'], spawnOptions)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    lc_messages: 'C',
    ...options.settings,
  }
  const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])]
  let child: ChildProcess | undefined

  /** One attempt: spawns the postmaster and resolves once it logs that it accepts connections. */
  const launch = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const started = spawn(bin('postgres'), args, { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] })
      live.add(started)
      let log = ''
      let ready = false
      const timer = setTimeout(() => {
        started.kill('SIGKILL')
        reject(new Error(`postgres did not accept connections within ${startTimeoutMs} ms: ${log.trim()}`))
      }, startTimeoutMs)
      started.stderr?.setEncoding('utf8')
      // Keep reading its log for as long as it runs (a full pipe would block the server).
      started.stderr?.on('data', (chunk: string) => {
        log = (log + chunk).slice(-8_000)
        if (!ready && log.includes('ready to accept connections')) {
          ready = true
          clearTimeout(timer)
          resolve(started)
        }
      })
      started.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      started.once('exit', (code, exitSignal) => {
        live.delete(started)
        if (child === started) child = undefined
        clearTimeout(timer)
        if (!ready) reject(new Error(`postgres exited (${String(code ?? exitSignal)}) before it was ready: ${log.trim()}`))
      })
    })

  const start = async () => {
    if (child) return
    const deadline = performance.now() + startTimeoutMs
    for (;;) {
      try {
        child = await launch()
        return
      } catch (error) {
        // After a kill, the old backends hold the shared memory (and lock files) until they notice
        // that their postmaster is gone, a few milliseconds later: try again until they have.
        const retry = /still in use|already exists|Is another postmaster/i.test(error instanceof Error ? error.message : '')
        if (!retry || performance.now() > deadline) throw error
        await sleep(50)
      }
    }
  }

  let paused: number[] = []
  const resume = () => {
    for (const pid of paused) {
      signal(pid, 'SIGCONT')
      frozen.delete(pid)
    }
    paused = []
  }
  const pause = () => {
    const pid = child?.pid
    if (pid === undefined || paused.length > 0) return
    // The postmaster first, so it forks no new backend meanwhile.
    signal(pid, 'SIGSTOP')
    paused = [pid, ...childrenOf(pid)]
    for (const each of paused) {
      frozen.add(each)
      signal(each, 'SIGSTOP')
    }
  }

  const end = async (name: 'SIGINT' | 'SIGKILL') => {
    const running = child
    if (!running) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill(name)
    resume()
    await exited
  }
  const stop = () => end('SIGINT')

  try {
    await start()
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    start,
    stop,
    kill: () => end('SIGKILL'),
    pause,
    resume,
    async restart() {
      await stop()
      await start()
    },
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
