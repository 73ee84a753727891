// A Fetch handler on Node's HTTP server, the way Fetch runtimes on Node (Hono's node-server,
// Next.js) run one: each request becomes a `Request`, the `Response` is written back.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'

export function fetchListener(handler: (request: Request) => Promise<Response>, rewritePath?: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${rewritePath ?? req.url ?? '/'}`, { method: req.method ?? 'GET', headers })
    handler(request).then(
      async (response) => {
        const out: Record<string, string | string[]> = {}
        for (const [name, value] of response.headers) if (name !== 'set-cookie') out[name] = value
        const cookies = response.headers.getSetCookie()
        if (cookies.length > 0) out['set-cookie'] = cookies
        res.writeHead(response.status, out)
        res.end(Buffer.from(await response.arrayBuffer()))
      },
      () => {
        res.writeHead(500).end()
      },
    )
  }
}
