import type { Clock } from '../../clock.js'
import { randomToken, timingSafeEqual } from '../../lib/crypto.js'

/** Named locks with expiry for the memory stores: the same contract as SET NX PX + compare-and-delete. */
export class MemoryLocks {
  readonly #held = new Map<string, { token: string; expiresAt: number }>()
  readonly #clock: Clock

  constructor(clock: Clock) {
    this.#clock = clock
  }

  acquire(name: string, ttlMs: number): string | null {
    const now = this.#clock.now()
    const current = this.#held.get(name)
    if (current && current.expiresAt > now) return null
    const token = randomToken(12)
    this.#held.set(name, { token, expiresAt: now + ttlMs })
    return token
  }

  release(name: string, token: string): void {
    const held = this.#held.get(name)
    if (held && timingSafeEqual(held.token, token)) this.#held.delete(name)
  }
}
