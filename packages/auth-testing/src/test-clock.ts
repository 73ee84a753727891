import type { Clock } from '@acme/auth-core'

/** A {@link Clock} that only moves when the test says so. */
export interface TestClock extends Clock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void
  /** Sets the time to `epochMs` (or a Date). */
  set(time: number | Date): void
}

/**
 * A controllable clock for tests: pass it wherever core takes a `clock`.
 *
 * @example
 * ```ts
 * const clock = createTestClock(new Date('2030-01-01T00:00:00Z'))
 * clock.advance(7 * 24 * 3600_000) // a week later, instantly
 * ```
 * @default start: 2030-01-01T00:00:00Z, so tests never depend on the real date
 */
export function createTestClock(start: number | Date = Date.UTC(2030, 0, 1)): TestClock {
  let now = toMs(start)
  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError('clock.advance(ms): ms must be a finite number >= 0')
      now += ms
    },
    set(time) {
      now = toMs(time)
    },
  }
}

function toMs(time: number | Date): number {
  const ms = typeof time === 'number' ? time : time.getTime()
  if (!Number.isFinite(ms)) throw new TypeError('clock time must be a finite epoch in milliseconds or a valid Date')
  return ms
}
