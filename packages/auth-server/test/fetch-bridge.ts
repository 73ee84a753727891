// Runs a Fetch handler (`Request` → `Response`) inside an Express app, as a Fetch runtime on Node
// would: the request body and the response body stream through, nothing is buffered.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import type { RequestHandler } from 'express'

export function serveFetch(handler: (request: Request) => Promise<Response>, under?: string): RequestHandler {
  return (req, res, next) => {
    if (under !== undefined && !(req.path === under || req.path.startsWith(`${under}/`))) return next()
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    // As Fetch runtimes do: the request's signal aborts when the client goes away before the end.
    const gone = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) gone.abort()
    })
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.originalUrl}`, {
      method: req.method,
      headers,
      signal: gone.signal,
      ...(hasBody ? { body: Readable.toWeb(req), duplex: 'half' } : {}),
    })
    handler(request)
      .then(async (response) => {
        res.status(response.status)
        for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
        const cookies = response.headers.getSetCookie()
        if (cookies.length > 0) res.setHeader('set-cookie', cookies)
        if (response.body) await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res)
        else res.end()
      })
      .catch(next)
  }
}
