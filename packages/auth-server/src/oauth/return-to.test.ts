import { describe, expect, it } from 'vitest'
import { safeReturnTo } from './return-to.js'

describe('safeReturnTo', () => {
  it.each(['/', '/notes', '/notes?page=2&q=a%20b', '/notes#top', '/a/b/../c', '/%5Cevil.example'])('keeps the same-origin path %j', (value) => {
    expect(safeReturnTo(value)).toBe(new URL(value, 'http://x.invalid').href.slice('http://x.invalid'.length))
  })

  it.each([
    'https://evil.example',
    'http://evil.example/notes',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' /notes',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'notes',
    '',
    '/notes\\..\\evil',
    `/${'a'.repeat(2048)}`,
  ])('falls back to / for %j', (value) => {
    expect(safeReturnTo(value)).toBe('/')
  })

  it('falls back for anything that is not a string', () => {
    expect(safeReturnTo(['/a', '/b'])).toBe('/')
    expect(safeReturnTo(undefined)).toBe('/')
    expect(safeReturnTo({ toString: () => '/x' })).toBe('/')
  })

  it('normalises dot segments so the answer is what the browser will load', () => {
    expect(safeReturnTo('/a/./b/../c?x#y')).toBe('/a/c?x#y')
  })
})
