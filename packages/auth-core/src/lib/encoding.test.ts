import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './encoding.js'

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
})
