import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// No code in the union is never thrown: every `AuthErrorCode` must appear, as a string literal, in
// the non-test sources of some package where it is thrown or constructed (or mapped to, as jose's
// codes are). Keyed tables (`{ ERR_X: … }`, the server's problem table) and code matching
// (`isAuthError(e, 'ERR_X')`, `=== 'ERR_X'`, assertions) do not count: they do not raise it.
const packagesDir = fileURLToPath(new URL('../../', import.meta.url))
const errorsFile = fileURLToPath(new URL('./errors.ts', import.meta.url))

function unionCodes(): string[] {
  const source = readFileSync(errorsFile, 'utf8')
  const union = /export type AuthErrorCode =([\s\S]*?)\n\n/.exec(source)?.[1] ?? ''
  return [...union.replaceAll(/\/\*\*[\s\S]*?\*\//g, '').matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!)
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

// The lines of code (comments removed) that can raise a code, with matching and assertions cut out.
function raisingCode(file: string): string {
  return readFileSync(file, 'utf8')
    .replaceAll(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .filter((line) => !line.includes('expect('))
    .map((line) =>
      line
        .replaceAll(/isAuthError\([^,()]+,\s*'ERR_[A-Z0-9_]+'\)/g, '')
        .replaceAll(/[!=]==\s*'ERR_[A-Z0-9_]+'/g, '')
        .replaceAll(/'ERR_[A-Z0-9_]+'\s*[!=]==/g, '')
        .replaceAll(/readonly code: '[A-Z0-9_]+'/g, ''),
    )
    .join('\n')
}

function raisedCodes(): Set<string> {
  const files = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return sourceFiles(join(packagesDir, entry.name, 'src'))
      } catch {
        return []
      }
    })
    // The union itself, and the server's problem table (it answers every code, thrown or not).
    .filter((file) => file !== errorsFile && !file.endsWith(join('auth-server', 'src', 'to-problem.ts')))
  const raised = new Set<string>()
  for (const file of files) for (const m of raisingCode(file).matchAll(/'(ERR_[A-Z0-9_]+)'/g)) raised.add(m[1]!)
  return raised
}

describe('AuthErrorCode', () => {
  it('reads the union (sanity: the parser finds core, OAuth and policy codes)', () => {
    const codes = unionCodes()
    expect(codes).toContain('ERR_STORE_UNAVAILABLE')
    expect(codes).toContain('ERR_OAUTH_REAUTHENTICATE')
    expect(codes).toContain('ERR_POLICY_DENIED')
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('has no code that is never thrown by any package', () => {
    const raised = raisedCodes()
    expect(unionCodes().filter((code) => !raised.has(code))).toEqual([])
  })
})
