/**
 * Next.js hands Route Handlers a body stream on every POST, PUT, PATCH and DELETE, also when the
 * client sent none (`POST /auth/refresh`, `POST /auth/logout`); the layer would then ask for a
 * media type. An empty body is dropped: `Content-Length: 0`, or, when the length is not
 * declared, a stream that ends before its first byte (only that first chunk is read; the rest
 * streams on untouched).
 */
export async function withoutEmptyBody(request: Request): Promise<Request> {
  if (request.body === null) return request
  const length = request.headers.get('content-length')
  if (length === '0') return bodiless(request)
  if (length !== null || request.headers.has('transfer-encoding')) return request
  const reader = (request.body as ReadableStream<Uint8Array>).getReader()
  let first = await reader.read()
  while (!first.done && first.value.byteLength === 0) first = await reader.read()
  if (first.done) return bodiless(request)
  const head = first.value
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(head),
    async pull(controller) {
      const next = await reader.read()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
  // `duplex` (a streamed request body) is in Node's RequestInit, not yet in every DOM lib.
  const init: RequestInit & { duplex: 'half' } = { method: request.method, headers: request.headers, body, signal: request.signal, duplex: 'half' }
  return new Request(request.url, init)
}

const bodiless = (request: Request) => new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal })
