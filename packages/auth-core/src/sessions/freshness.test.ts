import { describe, expect, it } from 'vitest'
import { isFreshAuthentication } from './freshness.js'

describe('isFreshAuthentication', () => {
  const now = 1_000_000_000_000
  it('is fresh within the window, and not one millisecond past it', () => {
    expect(isFreshAuthentication(now - 300_000, 300, now)).toBe(true)
    expect(isFreshAuthentication(now - 300_001, 300, now)).toBe(false)
  })
  it('fails closed for an unknown (0) sign-in time, or one further ahead than clock skew explains', () => {
    expect(isFreshAuthentication(0, 300, now)).toBe(false)
    expect(isFreshAuthentication(now + 5_000, 300, now)).toBe(true) // another instance's clock, a little ahead
    expect(isFreshAuthentication(now + 60_001, 300, now)).toBe(false)
    expect(isFreshAuthentication(Number.NaN, 300, now)).toBe(false)
  })
})
