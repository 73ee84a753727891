import type { Request } from 'express'
import { randomUUID } from 'node:crypto'

const acceptable = /^[A-Za-z0-9._:-]{8,64}$/

/**
 * The id that ties a request's logs and audit events together: the caller's `X-Request-Id` when it
 * is a sane token (a proxy in front may have set it), otherwise a new UUID. Kept on the request.
 */
export function requestIdOf(req: Request): string {
  const cached = (req as { acmeRequestId?: string }).acmeRequestId
  if (cached !== undefined) return cached
  const header = req.headers['x-request-id']
  const id = typeof header === 'string' && acceptable.test(header) ? header : randomUUID()
  ;(req as { acmeRequestId?: string }).acmeRequestId = id
  return id
}
