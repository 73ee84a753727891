#!/usr/bin/env node
// check:package: packs the package exactly as `pnpm publish` would (publishConfig applied), then
// runs publint --strict and @arethetypeswrong/cli on that tarball. Exits non-zero on any problem.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The CLIs are dependencies of @acme/tooling, so find them from here rather than on PATH.
const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules')
const binOf = (pkg, bin) => join(modules, pkg, bin)
const node = (script, args) => execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' })

const dir = mkdtempSync(join(tmpdir(), 'acme-pack-'))
try {
  execFileSync('pnpm', ['pack', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] })
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')))
  node(binOf('publint', 'src/cli.js'), ['run', tarball, '--strict'])
  // node10 resolution predates `exports`; every package declares engines.node >= 20.
  node(binOf('@arethetypeswrong/cli', 'dist/index.js'), [tarball, '--profile', 'node16'])
} finally {
  rmSync(dir, { recursive: true, force: true })
}
