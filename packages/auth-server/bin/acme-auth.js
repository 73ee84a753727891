#!/usr/bin/env node
// The `acme-auth` command. It is committed (not built) so that the bin exists when pnpm links it
// at install time, before the first build; it runs the built CLI in dist/cli.js.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/cli.js', import.meta.url)
if (existsSync(cli)) {
  await import(cli.href)
} else {
  console.error('acme-auth: @acme/auth-server is not built yet. Run `pnpm --filter @acme/auth-server build` first.')
  process.exitCode = 1
}
