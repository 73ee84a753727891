import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url, isBase64UrlOfBytes } from './encoding.js'

describe('base64url', () => {
  it('matches Node for every length from 0 to 64 bytes and round-trips', () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length))
      const encoded = encodeBase64Url(bytes)
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'))
      expect(decodeBase64Url(encoded)).toEqual(bytes)
    }
  })

  it('rejects padding, foreign characters, impossible lengths and non-canonical tails', () => {
    for (const bad of ['AA==', 'A+B/', 'A', 'ab c', 'é', 'AB']) {
      expect(decodeBase64Url(bad), bad).toBeNull()
    }
  })

  it('isBase64UrlOfBytes accepts exactly what decodes to that many bytes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.é '
    const candidate = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.array(fc.constantFrom(...alphabet), { minLength: 40, maxLength: 46 }).map((chars) => chars.join('')),
      fc.uint8Array({ minLength: 30, maxLength: 34 }).map(encodeBase64Url),
    )
    fc.assert(
      fc.property(candidate, fc.integer({ min: 30, max: 34 }), (text, bytes) => {
        expect(isBase64UrlOfBytes(text, bytes)).toBe(decodeBase64Url(text)?.length === bytes)
      }),
      { numRuns: 5000 },
    )
    expect(isBase64UrlOfBytes(encodeBase64Url(new Uint8Array(32).fill(255)), 32)).toBe(true)
    expect(isBase64UrlOfBytes(`${'A'.repeat(42)}B`, 32)).toBe(false) // a set trailing bit
  })
})
