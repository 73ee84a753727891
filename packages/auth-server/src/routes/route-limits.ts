import type { AuthMetrics, RateLimitName, RequestLimiter } from '@acme/auth-core'
import type { Exchange } from '../http/exchange.js'
import { tooManyRequests } from '../errors/problem-error.js'

/** A request limit's key: the route's name and the client's IP (`unknown` when the adapter has none). */
export const routeLimitKey = (name: RateLimitName, ex: Exchange) => `${name}|${ex.ip ?? 'unknown'}`

/**
 * Consumes one request of `name`'s per-IP budget; throws the 429 when it is spent (`metrics`:
 * from `createAuthMetrics()` when the route is built, so a meter provider set up later still counts).
 */
export async function consumeRouteLimit(limiter: RequestLimiter, name: RateLimitName, ex: Exchange, metrics: AuthMetrics): Promise<void> {
  await consumeKeyLimit(limiter, name, routeLimitKey(name, ex), metrics)
}

/** The same for a key of the caller's (an address's keyed hash: `<route>|a:<digest>`). */
export async function consumeKeyLimit(limiter: RequestLimiter, name: RateLimitName, key: string, metrics: AuthMetrics): Promise<void> {
  const decision = await limiter.consume(key)
  if (decision.allowed) return
  metrics.rateLimitRejection(name)
  throw tooManyRequests(decision.retryAfterSeconds)
}

/**
 * The limited route a path names, matched the way routers match (any case, trailing slashes), so
 * that a limit holds however the path is spelled and whether or not a route answers there.
 */
export function limitedRouteOf(paths: ReadonlyMap<string, RateLimitName>, path: string): RateLimitName | undefined {
  return paths.get(path.toLowerCase().replace(/\/+$/, ''))
}
