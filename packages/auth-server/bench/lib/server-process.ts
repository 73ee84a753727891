// A bench server in a child process, on the server core (`taskset -c 1`) when pinning is on. The
// child prints `READY <port>` once it takes traffic and answers the IPC message 'cookie' with the
// cookie pair it wants in the shared Cookie header (see bench/lib/bench-child.ts).
import { onServerCore } from '@acme/tooling/bench'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * How a bench child runs: its own script through tsx, the packages it imports by name from their
 * build (dist), as an app gets them. Not `--conditions=@acme/source`: tsx compiles our sources
 * with esbuild's keepNames, which wraps every closure made per request in a `__name()` call that
 * the published build does not have (about a fifth of a Redis session check's own time).
 */
export const benchChildFlags: readonly string[] = ['--import', 'tsx']

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url))

/** Newest modification time under `dir` of a source file that goes into the build. */
function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** The children run the built packages: refuse to measure a build older than its sources. */
export function requireBuilt(names: readonly string[] = ['auth-core', 'auth-server']): void {
  for (const name of names) {
    const built = join(packagesDir, name, 'dist', 'index.js')
    if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(packagesDir, name, 'src'))) {
      throw new Error(`packages/${name}/dist is missing or older than its sources: run \`pnpm build\` first (the bench servers run the built packages, as an app does)`)
    }
  }
}

export interface ServerProcess {
  readonly name: string
  readonly port: number
  readonly child: ChildProcess
  /** The child's cookie pair (`name=value`), or '' when it needs none. Fresh on every call. */
  cookie(): Promise<string>
  /** Sends an IPC message and waits for the child's answer to it. */
  ask<T>(message: string): Promise<T>
  stop(): Promise<void>
}

export interface StartOptions {
  /** Extra node flags (`--cpu-prof`, `--trace-gc`, …). */
  nodeFlags?: readonly string[]
  env?: NodeJS.ProcessEnv
  /** Where to run it: the server core (default) or beside the load generator (an upstream). */
  core?: 'server' | 'load-generator'
  /** Each stdout line of the child, for callers that read more than READY. */
  onLine?: (line: string) => void
  /** A command the child runs under (`['valgrind', '--tool=callgrind', …]`); it must exec node in the same process. */
  wrapper?: readonly string[]
}

/** Starts `node <script> <...args>` and waits for its READY line. */
export async function startServer(name: string, script: string, args: readonly string[], options: StartOptions = {}): Promise<ServerProcess> {
  requireBuilt()
  const argv = [...(options.wrapper ?? []), process.execPath, ...(options.nodeFlags ?? []), ...benchChildFlags, script, ...args]
  const [command, commandArgs] = options.core === 'load-generator' ? [argv[0]!, argv.slice(1)] : onServerCore(argv)
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...options.env } })
  const pending = new Map<string, Array<(value: unknown) => void>>()
  child.on('message', (message: { answer: string; value: unknown }) => {
    pending.get(message.answer)?.shift()?.(message.value)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const port = await new Promise<number>((resolve, reject) => {
    let buffered = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        options.onLine?.(line)
        if (line.startsWith('READY ')) resolve(Number(line.split(' ')[1]))
      }
    })
    void exited.then((code) => reject(new Error(`bench server ${name} exited with ${code} before it was ready`)))
  })

  const ask = <T>(message: string) =>
    new Promise<T>((resolve, reject) => {
      const queue = pending.get(message) ?? []
      queue.push((value) => resolve(value as T))
      pending.set(message, queue)
      child.send(message, (error) => error && reject(error))
    })

  return {
    name,
    port,
    child,
    cookie: () => ask<string>('cookie'),
    ask,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}
