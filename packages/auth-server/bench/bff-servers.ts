// Child processes for the BFF benchmark: `upstream` (a plain JSON API), `bff` (auth.bff in front of
// it), `hpm` (http-proxy-middleware with a keep-alive agent in front of it). Prints READY <port> <cookie>.
import { createScryptHasher } from '@acme/auth-core/argon2'
import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
import express from 'express'
import { createProxyMiddleware } from 'http-proxy-middleware'
import { Agent, createServer } from 'node:http'
import { createAuth } from '../src/index.js'

const [role, upstreamUrl] = process.argv.slice(2)
const listen = (server: ReturnType<typeof createServer>, cookie = '') =>
  server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as { port: number }).port} ${cookie}`))

if (role === 'upstream') {
  const body = JSON.stringify({ notes: [{ id: 1, title: 'hello' }] })
  listen(createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(body)
  }))
} else if (role === 'hpm') {
  const app = express()
  app.use('/api', createProxyMiddleware({ target: upstreamUrl, changeOrigin: true, agent: new Agent({ keepAlive: true, maxSockets: 64 }) }))
  listen(createServer(app))
} else {
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const auth = createAuth({
    sessions,
    users: { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(null) },
    passwords: createScryptHasher(),
    http: { origin: 'http://localhost:3000', secret: 'bench-secret-bench-secret-bench-secret-1234' },
  })
  const app = express()
  app.use(auth.middleware())
  // A fixed token stands in for core's access-token issuer: the benchmark measures the proxy.
  app.use(auth.bff({ upstream: upstreamUrl!, tokens: () => Promise.resolve({ token: 'bench.token.value', expiresAt: Date.now() + 3600_000 }) }))
  const { token } = await sessions.create('bench-user')
  listen(createServer(app), `__Host-sid=${token}`)
}
process.on('SIGTERM', () => process.exit(0))
