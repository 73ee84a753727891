import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { appRoot } from './next-process.js'

/** The browser tests run `next start`: one `next build` for all of them, bounded in time. */
export default async function setup(): Promise<void> {
  // While iterating on the tests alone: NEXT_DEMO_REUSE_BUILD=1 keeps the last build.
  if (process.env.NEXT_DEMO_REUSE_BUILD === '1' && existsSync(join(appRoot, '.next', 'BUILD_ID'))) return
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next')
  const child = spawn(process.execPath, [nextBin, 'build', '--webpack'], {
    cwd: appRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Vitest sets NODE_ENV=test; the build is the production one `next start` serves.
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
      reject(new Error(`next build did not finish in 240 s:\n${output}`))
    }, 240_000)
    child.once('exit', (exitCode) => {
      clearTimeout(timer)
      resolve(exitCode)
    })
  })
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`)
}
