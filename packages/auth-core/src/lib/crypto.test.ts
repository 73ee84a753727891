import * as nodeCrypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fingerprint, nodeSha256, randomToken, sha256, sha256Now, sha256WebCrypto, timingSafeEqual } from './crypto.js'

describe('crypto helpers', () => {
  it('makes 256-bit random tokens that never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(32)))
    expect(tokens.size).toBe(1000)
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32)
  })

  it('hashes with SHA-256 exactly as node:crypto does', async () => {
    for (const text of ['hello', '', 'żółw 🐢', randomToken(32)]) {
      const expected = nodeCrypto.createHash('sha256').update(text).digest('base64url')
      expect(await sha256(text)).toBe(expected)
      expect(sha256Now(text)).toBe(expected)
      expect(await sha256WebCrypto(text)).toBe(expected) // the edge-runtime path
    }
  })

  it('hashes alike with the one-shot crypto.hash() and, on a runtime without it, with a Hash object', () => {
    expect(typeof nodeCrypto.hash).toBe('function') // Node 20.12+: the path this suite's runtime takes
    const oneShot = nodeSha256(nodeCrypto)!
    const withoutHash = nodeSha256({ createHash: nodeCrypto.createHash })!
    expect(nodeSha256(undefined)).toBeUndefined()
    for (const text of ['hello', '', 'żółw 🐢', randomToken(32), 'x'.repeat(450)]) {
      const expected = nodeCrypto.createHash('sha256').update(text).digest('base64url')
      expect(oneShot(text)).toBe(expected)
      expect(withoutHash(text)).toBe(expected)
    }
  })

  it('compares equal strings as equal and any difference as different', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true)
    expect(timingSafeEqual('abc', 'abd')).toBe(false)
    expect(timingSafeEqual('abc', 'ab')).toBe(false)
    expect(timingSafeEqual('', 'a')).toBe(false)
    expect(timingSafeEqual('', '')).toBe(true)
  })

  it('fingerprints are short, stable and do not contain the secret', async () => {
    const secret = randomToken(32)
    const print = await fingerprint(secret)
    expect(print).toHaveLength(12)
    expect(await fingerprint(secret)).toBe(print)
    expect(secret).not.toContain(print)
  })
})
