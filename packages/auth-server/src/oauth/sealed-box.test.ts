import { describe, expect, it } from 'vitest'
import { createSealedBox } from './sealed-box.js'

const secret = 'a-secret-that-is-long-enough-for-tests-0123'
const next = 'the-next-secret-that-is-long-enough-for-tests'

describe('createSealedBox', () => {
  it('opens what it sealed, for the same context only', () => {
    const box = createSealedBox([secret], 'purpose')
    const sealed = box.seal('hello', 'session-1')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain('hello')
    expect(box.open(sealed, 'session-1')).toBe('hello')
    expect(box.open(sealed, 'session-2')).toBeNull()
  })

  it('refuses any tampered byte, another purpose, and garbage', () => {
    const box = createSealedBox([secret], 'purpose')
    const sealed = box.seal('hello', 'c')
    const last = sealed.at(-2) === 'A' ? 'B' : 'A'
    expect(box.open(`${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`, 'c')).toBeNull()
    expect(createSealedBox([secret], 'other').open(sealed, 'c')).toBeNull()
    expect(box.open('v1.nope', 'c')).toBeNull()
    expect(box.open('', 'c')).toBeNull()
  })

  it('rotates: a new first secret seals, the old one still opens', () => {
    const before = createSealedBox([secret], 'purpose').seal('old', 'c')
    const rotated = createSealedBox([next, secret], 'purpose')
    expect(rotated.open(before, 'c')).toBe('old')
    expect(createSealedBox([secret], 'purpose').open(rotated.seal('new', 'c'), 'c')).toBeNull()
  })
})
