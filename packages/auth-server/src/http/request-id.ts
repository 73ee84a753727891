import { randomUUID } from 'node:crypto'
import type { Exchange } from './exchange.js'

const acceptable = /^[A-Za-z0-9._:-]{8,64}$/

/**
 * The id that ties a request's logs and audit events together: the caller's `X-Request-Id` when it
 * is a sane token (a proxy in front may have set it), otherwise a new UUID. Kept on the exchange.
 */
export function requestIdOf(ex: Exchange): string {
  if (ex.requestId !== undefined) return ex.requestId
  const header = ex.header('x-request-id')
  const id = header !== undefined && acceptable.test(header) ? header : randomUUID()
  ex.requestId = id
  return id
}
