import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('../', import.meta.url))
const packagesDir = join(packageDir, '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

describe('the /auth/session payload type', () => {
  it('is defined once, in @acme/auth-core, for the server and this package alike', () => {
    const definitions = readdirSync(packagesDir)
      .flatMap((name) => {
        try {
          return sources(join(packagesDir, name, 'src'))
        } catch {
          return []
        }
      })
      .filter((file) => /export (type SessionPayload =|interface SessionUser\b|interface SessionInfo\b)/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(packagesDir.length).replaceAll('\\', '/').replace(/^\//, ''))
    expect(definitions).toEqual(['auth-core/src/sessions/session-payload.ts'])
  })

  it('reaches this package type-only: no runtime import of core or the server, and no dependency on them', () => {
    // An import clause holds no quotes, so `[^'"]*` spans a multi-line clause but never two statements.
    const clause = /^(import|export)\s+(type\s+)?[^'"]*?\s+from\s+'(@acme\/auth-(?:core|server)[^']*)'/gm
    const imports = sources(join(packageDir, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(clause)])
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((m) => m[2] === undefined).map((m) => m[0])).toEqual([])
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      expect(Object.keys(manifest[field] ?? {}), field).not.toContain('@acme/auth-core')
      expect(Object.keys(manifest[field] ?? {}), field).not.toContain('@acme/auth-server')
    }
  })
})
