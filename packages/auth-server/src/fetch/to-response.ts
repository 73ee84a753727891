import { Readable } from 'node:stream'
import type { Answer } from '../http/answer.js'
import type { FetchExchange } from './fetch-exchange.js'

/** A Fetch `Response` for an answer of the layer, with the exchange's cookies and headers. */
export function toResponse(answer: Answer, ex: FetchExchange): Response {
  const headers = new Headers(ex.responseHeaders)
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) headers.set(name, value)
  for (const line of ex.setCookies) headers.append('Set-Cookie', line)
  const body = answer.body
  if (body === undefined || ex.method === 'HEAD') return new Response(null, { status: answer.status, headers })
  if ('json' in body) {
    headers.set('Content-Type', `${body.type ?? 'application/json'}; charset=utf-8`)
    return new Response(JSON.stringify(body.json), { status: answer.status, headers })
  }
  // A bounded queue: the stream is read only as fast as the client takes it (backpressure).
  const web = Readable.toWeb(body.stream, { strategy: new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }) })
  return new Response(web as ReadableStream<Uint8Array>, { status: answer.status, headers })
}
