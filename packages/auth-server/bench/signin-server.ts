// Child process for the sign-in benchmark: the session strategy with argon2id at OWASP parameters,
// memory store, two users, no rate limiter (every request comes from one IP). Prints READY <port> <cookie> <csrf>.
import { createSessionManager, MemorySessionStore } from '@acme/auth-core'
import { createPasswordHasher } from '@acme/auth-core/argon2'
import express from 'express'
// By package name: the child runs the built package (dist), as an app would.
import { createAuth } from '@acme/auth-server'

const passwords = createPasswordHasher()
const users = new Map([['alice@example.com', { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], passwordHash: await passwords.hash('alice-password') }]])
const auth = createAuth({
  sessions: createSessionManager({ store: new MemorySessionStore() }),
  passwords,
  users: {
    findByEmail: (email) => Promise.resolve(users.get(email) ?? null),
    findById: (id) => Promise.resolve([...users.values()].find((u) => u.id === id) ?? null),
  },
  // 50 parallel sign-ins of one user from one IP would trip the per IP + account limit.
  http: { origin: 'http://localhost:3000', secret: 'bench-secret-bench-secret-bench-secret-1234', limits: false },
})
const app = express()
app.use(auth.middleware())
app.use('/auth', auth.router())
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const port = (server.address() as { port: number }).port
const res = await fetch(`http://127.0.0.1:${port}/auth/csrf`)
const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
const { csrfToken } = (await res.json()) as { csrfToken: string }
console.log(`READY ${port} ${cookie} ${csrfToken}`)
process.on('SIGTERM', () => process.exit(0))
