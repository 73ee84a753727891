/**
 * Where core reads the time. Logic never calls `Date.now()` directly, so tests can move time
 * (see `createTestClock()` in `@acme/auth-testing`).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() })
