// A BFF in its own process, for measuring its memory alone: node --expose-gc, argv[2] = upstream.
// Prints `READY <port> <cookie> <csrf>`; GET /__memory answers the live heap after a GC.
import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
import express from 'express'
import { createAuth } from '../src/index.js'
import { createFetchAuth } from '../src/fetch/index.js'
import { serveFetch } from './fetch-bridge.js'
import { origin, secret, testHasher } from './fixtures.js'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const sessions = createSessionManager({ store: new MemorySessionStore() })
const user = { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] }
const auth = createAuth({
  sessions,
  passwords: testHasher(),
  users: { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(user) },
  http: { origin, secret },
})
const app = express()
app.get('/__memory', (_req, res) => {
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  res.json({ live: heapUsed + arrayBuffers })
})
app.use(auth.middleware())
const bffOptions = { upstream: process.argv[2]!, tokens: () => Promise.resolve({ token: 'fixed', expiresAt: Date.now() + 3600_000 }), maxBodyBytes: 64 * 1024 * 1024 }
// argv[3] = 'fetch': the Fetch adapter's BFF (served on Node), else Express's middleware.
if (process.argv[3] === 'fetch') {
  const bff = createFetchAuth(auth.core).bff(bffOptions)
  app.use(serveFetch((request) => bff.handler(request), '/api'))
} else {
  app.use(auth.bff(bffOptions))
}
const { cookie, csrfToken } = await auth.issueSession(user)
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${(server.address() as { port: number }).port} ${cookie.replace(/ /g, '')} ${csrfToken}`)
})
process.on('SIGTERM', () => process.exit(0))
