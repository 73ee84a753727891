/** Request headers by lower-case name, as Node and the layer's exchange give them. */
type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>

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

/**
 * The names a `Connection` header lists beyond the hop-by-hop ones (which go anyway), or `undefined`
 * when it lists none: the usual `keep-alive` or `close` builds nothing.
 */
function connectionListed(headers: IncomingHeaders): Set<string> | undefined {
  const value = headers.connection
  if (value === undefined) return undefined
  let listed: Set<string> | undefined
  for (const part of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const name = part.trim().toLowerCase()
    if (name !== '' && !hopByHop.has(name)) (listed ??= new Set()).add(name)
  }
  return listed
}

/** The headers sent upstream: the client's safe headers plus ours (`added` wins). */
export function upstreamRequestHeaders(
  incoming: IncomingHeaders,
  added: Record<string, string>,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming)
  const out: Record<string, string | string[]> = {}
  for (const name of Object.keys(incoming)) {
    const value = incoming[name]
    if (value === undefined || notForwarded.has(name) || listed?.has(name) === true) continue
    out[name] = value
  }
  for (const name of Object.keys(added)) out[name] = added[name]!
  return out
}

/** The `X-Forwarded-Host` and `X-Forwarded-Proto` the upstream sees. */
export interface ForwardedOrigin {
  host: string
  proto: string
}

/**
 * Picks the forwarding facts from the app's configured origins, never from the client: a `Host`
 * header is the client's to choose, and an upstream that builds absolute URLs (links, redirects,
 * password-reset mails) from `X-Forwarded-Host` would point them at an attacker's host. With several
 * configured origins, the one whose host the request names is used, else the first.
 */
export function forwardedOriginFor(origins: readonly ForwardedOrigin[], requestHost: string | undefined): ForwardedOrigin {
  const wanted = requestHost?.toLowerCase()
  return origins.find((origin) => origin.host === wanted) ?? origins[0]!
}

/** The configured origins (`https://app.example.com`) as forwarding facts. */
export function forwardedOrigins(origins: Iterable<string>): readonly ForwardedOrigin[] {
  const list = [...origins].map((origin) => {
    const url = new URL(origin)
    return Object.freeze({ host: url.host, proto: url.protocol.slice(0, -1) })
  })
  if (list.length === 0) throw new TypeError('bff: at least one configured origin is needed')
  return Object.freeze(list)
}

/** The upstream's response headers minus `Set-Cookie` and hop-by-hop headers. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(upstream)
  const out: Record<string, string | string[]> = {}
  for (const name of Object.keys(upstream)) {
    const value = upstream[name]
    const lower = name.toLowerCase()
    if (value === undefined || lower === 'set-cookie' || hopByHop.has(lower) || listed?.has(lower) === true) continue
    out[lower] = value
  }
  return out
}
