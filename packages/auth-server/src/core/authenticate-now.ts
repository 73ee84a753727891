import type { Exchange } from '../http/exchange.js'
import type { Strategy } from '../strategies/strategy.js'
import type { RequestAuth } from './request-auth.js'

/**
 * The request's identity, on `ex.auth` once per exchange: at once when the strategy knows without
 * waiting (a cached or in-memory session), else a promise. Adapters call it on every request, so
 * the usual case costs no promise and the framework's next handler runs in the same tick.
 * Throws where the promise would reject.
 */
export function authenticateNow(strategy: Strategy, ex: Exchange): RequestAuth | null | Promise<RequestAuth | null> {
  if (ex.auth !== undefined) return ex.auth
  const auth = strategy.authenticate(ex)
  if (auth instanceof Promise) return auth.then((value) => (ex.auth = value))
  return (ex.auth = auth)
}
