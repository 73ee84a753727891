/** The URL of a fetch input, whatever its form. */
export function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input
  if (input instanceof URL) return input.href
  return input.url
}

/** The upper-cased method of a fetch call: `init.method`, else the Request's, else GET. */
export function methodOf(input: RequestInfo | URL, init: RequestInit | undefined): string {
  const method = init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')
  return method.toUpperCase()
}

/** The headers a fetch call will send: `init.headers`, else the Request's own. */
export function headersOf(input: RequestInfo | URL, init: RequestInit | undefined): Headers {
  if (init?.headers !== undefined) return new Headers(init.headers)
  return new Headers(typeof input === 'object' && 'headers' in input ? input.headers : undefined)
}
