import { describe, expect, it } from 'vitest'
import { createTestClock } from './test-clock.js'

describe('createTestClock', () => {
  it('starts at a fixed date and moves only when told', () => {
    const clock = createTestClock()
    expect(new Date(clock.now()).toISOString()).toBe('2030-01-01T00:00:00.000Z')
    clock.advance(1500)
    expect(clock.now()).toBe(Date.UTC(2030, 0, 1) + 1500)
    clock.set(new Date('2031-06-01T00:00:00Z'))
    expect(new Date(clock.now()).toISOString()).toBe('2031-06-01T00:00:00.000Z')
  })

  it('refuses to go backwards or to a non-finite time', () => {
    const clock = createTestClock(0)
    expect(() => clock.advance(-1)).toThrow(TypeError)
    expect(() => clock.advance(Number.NaN)).toThrow(TypeError)
    expect(() => clock.set(new Date('nope'))).toThrow(TypeError)
  })
})
