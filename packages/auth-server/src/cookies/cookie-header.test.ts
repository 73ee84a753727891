import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCookie } from './cookie-header.js'

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('a=1; __Host-sid=abc.def; b=2', '__Host-sid')).toEqual({ kind: 'value', value: 'abc.def' })
    expect(readCookie('__Host-sid="quoted"', '__Host-sid')).toEqual({ kind: 'value', value: 'quoted' })
    expect(readCookie('x=%E2%9C%93', 'x')).toEqual({ kind: 'value', value: '✓' })
  })

  it('tells absent from present, and refuses duplicates', () => {
    expect(readCookie(undefined, 'sid')).toEqual({ kind: 'absent' })
    expect(readCookie('sidx=1; xsid=2', 'sid')).toEqual({ kind: 'absent' })
    expect(readCookie('sid=1; other=2; sid=3', 'sid')).toEqual({ kind: 'duplicate' })
  })

  it('never throws on arbitrary headers', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.constantFrom('sid', '__Host-sid', 'a'), (header, name) => {
        const result = readCookie(header, name)
        expect(['absent', 'value', 'duplicate']).toContain(result.kind)
      }),
      { numRuns: 2000 },
    )
  })
})
