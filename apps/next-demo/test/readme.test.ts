import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appRoot } from './e2e/next-process.js'

// The Next.js quick start of @acme/auth-server's README is these files of the demo, word for word.
const readme = readFileSync(join(appRoot, '..', '..', 'packages', 'auth-server', 'README.md'), 'utf8')
const files = ['src/auth.ts', 'src/app/auth/[...path]/route.ts', 'src/app/api/[...path]/route.ts', 'src/proxy.ts', 'src/app/.well-known/jwks.json/route.ts']

describe("@acme/auth-server's README (Quick start: Next.js)", () => {
  it.each(files)('holds %s word for word', (file) => {
    expect(readme).toContain(`// ${file}\n${readFileSync(join(appRoot, file), 'utf8').trim()}\n`)
  })
})
