import type { SessionPayload } from '@acme/auth-react'

/** What the mock answers `GET <basePath>/session` with, read at request time. */
export type MockSessionSource = () => SessionPayload | 'loading'

/**
 * A `fetch` that never touches the network: the session route answers from the mock's session
 * (or never, while 'loading'), the CSRF route with a fixed token, and anything else goes to
 * `fallback`, or fails like an offline browser (a TypeError naming the request).
 */
export function createMockFetch(basePath: string, session: MockSessionSource, fallback?: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase()
    const path = new URL(url, 'http://mock.invalid').pathname
    if (method === 'GET' && path === `${basePath}/session`) {
      const current = session()
      return current === 'loading' ? never(init?.signal) : Promise.resolve(json(current))
    }
    if (method === 'GET' && path === `${basePath}/csrf`) return Promise.resolve(json({ csrfToken: 'mock-csrf-token' }))
    if (fallback) return fallback(input, init)
    return Promise.reject(new TypeError(`MockAuthProvider has no network: ${method} ${url}. Pass a \`fetch\` prop to answer it.`))
  }
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
}

/** A request that stays pending until aborted. */
function never(signal: AbortSignal | null | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
  })
}
