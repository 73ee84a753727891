/** How far ahead of this instance's clock a sign-in time may be (another instance's clock). */
const CLOCK_SKEW_MS = 60_000

/**
 * Whether a sign-in at `authenticatedAt` (epoch ms; 0 = unknown) is recent enough for a sensitive
 * action that demands proof within `maxAgeSeconds`. Unknown, or further in the future than clock
 * skew between instances explains (a clock that jumped, a forged claim), is never fresh: fail
 * closed. Every adapter's fresh-session guard asks this.
 */
export function isFreshAuthentication(authenticatedAt: number, maxAgeSeconds: number, now: number): boolean {
  if (!Number.isFinite(authenticatedAt) || authenticatedAt <= 0 || authenticatedAt > now + CLOCK_SKEW_MS) return false
  return now - authenticatedAt <= maxAgeSeconds * 1000
}
