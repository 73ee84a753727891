import type { IncomingHttpHeaders } from 'node:http'

// RFC 9110 §7.6.1: connection-specific headers never cross a proxy.
const hopByHop = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
])

// Never forwarded upstream: identity stays in the BFF (the upstream sees only our Bearer token),
// and the client must not choose forwarding facts.
const notForwarded = new Set([
  ...hopByHop, 'host', 'cookie', 'authorization', 'x-csrf-token',
  'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip',
  'x-request-id', 'content-length', 'expect',
])

function connectionListed(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Set<string> {
  const value = headers.connection
  const text = Array.isArray(value) ? value.join(',') : value ?? ''
  return new Set(text.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))
}

/** The headers sent upstream: the client's safe headers plus ours. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  added: Record<string, string>,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming)
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || notForwarded.has(name) || listed.has(name)) continue
    out[name] = value
  }
  return { ...out, ...added }
}

/** The upstream's response headers minus `Set-Cookie` and hop-by-hop headers. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(upstream)
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase()
    if (value === undefined || lower === 'set-cookie' || hopByHop.has(lower) || listed.has(lower)) continue
    out[lower] = value
  }
  return out
}
