import { describe, expect, it } from 'vitest'
import { createArgon2idHasher } from './argon2id-hasher.js'
import { createPasswordHasher } from './password-hasher.js'
import { createScryptHasher } from './scrypt-hasher.js'

// OWASP argon2id parameters throughout (each hash ≈ 10-40 ms here); scrypt uses a smaller N in
// tests than its OWASP default (2^17 ≈ 280 ms), except where the default itself is under test.
describe('argon2id', () => {
  const hasher = createArgon2idHasher()

  it('hashes to a PHC string with OWASP parameters and verifies only the right password', async () => {
    const hash = await hasher.hash('correct horse battery staple')
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true)
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false)
    expect(hasher.needsRehash(hash)).toBe(false)
  })

  it('normalises to NFKC, so composed and decomposed spellings match', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait')
    expect(await hasher.verify(hash, 'cafe\u0301 au lait')).toBe(true)
  })

  it('needs a rehash when a parameter changes, and not otherwise', async () => {
    const old = await createArgon2idHasher({ memoryCost: 8192, timeCost: 1 }).hash('pw-under-test')
    expect(hasher.needsRehash(old)).toBe(true)
    expect(createArgon2idHasher({ memoryCost: 8192, timeCost: 1 }).needsRehash(old)).toBe(false)
    expect(createArgon2idHasher({ memoryCost: 8192, timeCost: 1, parallelism: 2 }).needsRehash(old)).toBe(true)
    expect(await hasher.verify(old, 'pw-under-test')).toBe(true) // old hashes keep working
  })

  it('answers false / needsRehash for malformed or foreign hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', '$argon2id$v=19$m=19456,t=2,p=1$$', '$2b$10$abcdefghijklmnopqrstuv']) {
      expect(await hasher.verify(bad, 'x')).toBe(false)
      expect(hasher.needsRehash(bad)).toBe(true)
    }
  })
})

describe('scrypt', () => {
  it('hashes to $scrypt$ln=…,r=…,p=…$salt$hash and verifies', async () => {
    const hasher = createScryptHasher({ logN: 12 })
    const hash = await hasher.hash('correct horse battery staple')
    expect(hash).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true)
    expect(await hasher.verify(hash, 'wrong')).toBe(false)
    expect(hasher.needsRehash(hash)).toBe(false)
    expect(createScryptHasher({ logN: 13 }).needsRehash(hash)).toBe(true)
  })

  it('uses the OWASP parameters by default (N = 2^17, r = 8, p = 1)', async () => {
    const hash = await createScryptHasher().hash('pw-under-test')
    expect(hash.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true)
  })

  it('refuses stored parameters that would allocate absurd memory', async () => {
    const hasher = createScryptHasher({ logN: 12 })
    const hash = await hasher.hash('pw-under-test')
    expect(await hasher.verify(hash.replace('ln=12', 'ln=30'), 'pw-under-test')).toBe(false)
  })
})

describe('createPasswordHasher', () => {
  it('verifies both algorithms and asks to rehash the one it no longer writes (scrypt → argon2id)', async () => {
    const legacy = createPasswordHasher({ algorithm: 'scrypt', scrypt: { logN: 12 } })
    const current = createPasswordHasher({ scrypt: { logN: 12 } })
    const old = await legacy.hash('pw-under-test')
    expect(current.algorithm).toBe('argon2id')
    expect(await current.verify(old, 'pw-under-test')).toBe(true)
    expect(current.needsRehash(old)).toBe(true)
    const fresh = await current.hash('pw-under-test')
    expect(fresh.startsWith('$argon2id$')).toBe(true)
    expect(current.needsRehash(fresh)).toBe(false)
    expect(legacy.needsRehash(fresh)).toBe(true)
    expect(await current.verify('$bcrypt$whatever$a$b', 'x')).toBe(false)
  })

  it("rejects an unknown algorithm with a TypeError", () => {
    expect(() => createPasswordHasher({ algorithm: 'md5' as never })).toThrow(/options\.algorithm/)
    expect(() => createArgon2idHasher({ memoryCost: 1 })).toThrow(/params\.memoryCost/)
  })
})
