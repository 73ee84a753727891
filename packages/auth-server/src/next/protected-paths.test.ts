import { describe, expect, it } from 'vitest'
import { checkProtectedPaths, isProtectedPath } from './protected-paths.js'

describe('isProtectedPath', () => {
  const protect = ['/', '/notes', '/account/', '/admin']

  it('covers each listed path and everything below it', () => {
    for (const path of ['/', '/notes', '/notes/42', '/account', '/account/sessions', '/admin', '/admin/users/1']) {
      expect(isProtectedPath(path, protect), path).toBe(true)
    }
  })

  it('does not cover siblings that share a prefix, nor other paths under `/`', () => {
    for (const path of ['/notes-archive', '/administrator', '/login', '/about']) expect(isProtectedPath(path, protect), path).toBe(false)
  })
})

describe('checkProtectedPaths', () => {
  it('refuses paths that do not start with a single slash', () => {
    expect(() => checkProtectedPaths(['notes'])).toThrow(TypeError)
    expect(() => checkProtectedPaths(['//evil.example'])).toThrow(TypeError)
    expect(checkProtectedPaths(['/notes'])).toEqual(['/notes'])
  })
})
