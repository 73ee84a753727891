import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { systemClock, type Clock } from './clock.js'

describe('Clock', () => {
  it('the system clock follows real time', () => {
    const before = Date.now()
    const now = systemClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('the test kit clock satisfies the same interface', () => {
    const clock: Clock = createTestClock(1000)
    expect(clock.now()).toBe(1000)
  })
})
