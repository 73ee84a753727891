import * as client from 'openid-client'

const unreachableCodes = new Set(['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON'])

/**
 * True when a provider call failed for transport reasons (refused connection, timeout, a 5xx or
 * an HTML error page where JSON was due), not because the provider judged our request.
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof TypeError && error.message === 'fetch failed') return true
  if (error instanceof client.ResponseBodyError) return error.status >= 500
  if (error instanceof client.ClientError) return error.code !== undefined && unreachableCodes.has(error.code)
  return error instanceof Error && error.name === 'AbortError'
}
