// Child processes of the BFF benchmark: `upstream` (a plain JSON API), `bff` (auth.bff in front of
// it, Bearer tokens minted by core for the session as an app gets them by default), `hpm`
// (http-proxy-middleware with a keep-alive agent in front of it). See bench/lib/bench-child.ts.
import { createScryptHasher } from '@acme/auth-core/argon2'
import {
  createAccessTokens,
  createKeyRing,
  createRefreshFamilies,
  createSessionManager,
  MemoryKeyStore,
  MemoryRefreshStore,
  MemorySessionStore,
} from '@acme/auth-core'
import express from 'express'
import { createProxyMiddleware } from 'http-proxy-middleware'
import { Agent } from 'node:http'
// By package name: the child runs the built package (dist), as an app would.
import { createAuth } from '@acme/auth-server'
import { serveBench } from './lib/bench-child.js'

const [role, upstreamUrl] = process.argv.slice(2)
const origin = 'http://localhost:3000'
const user = { id: 'bench-user', email: 'bench@example.com', name: 'Bench', roles: ['member'] }

if (role === 'upstream') {
  const body = JSON.stringify({ notes: [{ id: 1, title: 'hello' }] })
  const server = serveBench((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(body)
  }, { cookie: () => '' })
  // Longer than any pause between a proxy's slices: with Node's 5 s default, a keep-alive socket
  // that idled through another block can be closed by the upstream just as Node's Agent reuses it
  // (undici's pool reads the Keep-Alive hint, http.Agent does not), and the proxy answers 502. That
  // race is real, but it is not what this bench compares.
  server.keepAliveTimeout = 120_000
} else if (role === 'hpm') {
  const app = express()
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  app.use('/api', createProxyMiddleware({ target: upstreamUrl, changeOrigin: true, agent }))
  serveBench(app, { cookie: () => '' })
} else if (role === 'bff') {
  const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'bench-key-encryption-secret-0123456789' })
  await keyRing.ready()
  const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin })
  const sessions = createSessionManager({ store: new MemorySessionStore() })
  const auth = createAuth({
    sessions,
    users: { findByEmail: () => Promise.resolve(null), findById: (id) => Promise.resolve(id === user.id ? user : null) },
    passwords: createScryptHasher(),
    http: { origin, secret: 'bench-secret-bench-secret-bench-secret-1234' },
    tokens: { keyRing, accessTokens, refreshFamilies: createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions }) },
  })
  const app = express()
  app.use(auth.middleware())
  const bff = auth.bff({ upstream: upstreamUrl!, audience: 'notes-api' })
  app.use(bff)
  const { cookie } = await auth.issueSession(user)
  const session = cookie.split('; ').find((pair) => pair.startsWith('__Host-sid='))!
  serveBench(app, { cookie: () => session }, () => bff.close())
} else {
  throw new Error(`unknown role ${role}; one of upstream, bff, hpm`)
}
