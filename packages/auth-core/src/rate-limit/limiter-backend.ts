import { systemClock, type Clock } from '../clock.js'
import { requireMethods } from '../lib/options.js'
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js'

/** The `store` and `clock` options every limiter takes, checked once: `'memory'` or a store, and a clock. */
export function resolveLimiterBackend(input: Record<string, unknown>): { store: RateLimitStore; clock: Clock } {
  const store =
    input.store === 'memory'
      ? new MemoryRateLimitStore()
      : requireMethods<RateLimitStore>(input.store, 'options.store', ['add', 'get', 'delete'])
  const clock = input.clock === undefined ? systemClock : requireMethods<Clock>(input.clock, 'options.clock', ['now'])
  return { store, clock }
}
