import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL('../..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }

/** Runs the shim from a copy of the package layout: bin/ and, when given, a stand-in dist/cli.js. */
async function runShim(distCli: string | undefined) {
  const root = mkdtempSync(join(tmpdir(), 'acme-bin-'))
  dirs.push(root)
  mkdirSync(join(root, 'bin'))
  copyFileSync(join(packageDir, manifest.bin['acme-auth']!), join(root, 'bin', 'acme-auth.js'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }))
  if (distCli !== undefined) {
    mkdirSync(join(root, 'dist'))
    writeFileSync(join(root, 'dist', 'cli.js'), distCli)
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'acme-auth.js'), 'sessions', 'list'], { timeout: 20_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the acme-auth bin', () => {
  it('points at a committed file, not a build output, so a fresh install can link it', () => {
    const target = manifest.bin['acme-auth']!
    expect(target.startsWith('./dist/')).toBe(false)
    const path = join(packageDir, target)
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(path).mode & 0o111).not.toBe(0)
    expect(manifest.files).toContain(target.split('/')[1])
  })

  it('runs the built CLI with its arguments', async () => {
    const result = await runShim('process.stdout.write(JSON.stringify(process.argv.slice(2)))\n')
    expect(result).toMatchObject({ code: 0, stdout: '["sessions","list"]' })
  })

  it('says clearly that the package is not built, and exits 1', async () => {
    const result = await runShim(undefined)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('@acme/auth-server is not built yet')
    expect(result.stderr).toContain('pnpm --filter @acme/auth-server build')
  })
})
