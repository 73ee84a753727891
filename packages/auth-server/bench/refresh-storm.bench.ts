// A refresh storm: 100 concurrent POST /auth/refresh with one session's expired access token and
// its refresh cookie (a page with many tabs waking up). Expect one rotation and zero errors.
import { createRecordingAuditSink, createTestClock } from '../../auth-testing/src/index.js'
import { createAccessTokens, createAccessTokenVerifier, createKeyRing, createRefreshFamilies, createSessionManager, MemoryKeyStore, MemoryRefreshStore, MemorySessionStore } from '@acme/auth-core'
import { createScryptHasher } from '@acme/auth-core/argon2'
import express from 'express'
import type { AddressInfo } from 'node:net'
import { createAuth } from '../src/index.js'

const origin = 'http://localhost:3000'

export default async function refreshStormBench() {
  const clock = createTestClock(Date.now())
  const audit = createRecordingAuditSink()
  const keyRing = createKeyRing({ store: new MemoryKeyStore(), secret: 'bench-key-encryption-secret-0123456789', clock })
  await keyRing.ready()
  const accessTokens = createAccessTokens({ keyRing, issuer: origin, audience: origin, clock })
  const sessions = createSessionManager({ store: new MemorySessionStore(), clock })
  const refreshFamilies = createRefreshFamilies({ store: new MemoryRefreshStore(), accessTokens, sessions, clock, audit })
  const user = { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] }
  const auth = createAuth({
    strategy: 'token',
    sessions,
    passwords: createScryptHasher({ logN: 10 }),
    users: { findByEmail: () => Promise.resolve(null), findById: () => Promise.resolve(user) },
    // 100 parallel refreshes from one IP would trip the per-IP route limit: this measures refresh itself.
    http: { origin, secret: 'bench-secret-bench-secret-bench-secret-1234', limits: false },
    tokens: { keyRing, accessTokens, refreshFamilies, verifier: createAccessTokenVerifier({ keyRing, issuer: origin, audience: origin, clock }) },
  })
  const app = express()
  app.use(auth.middleware())
  app.use('/auth', auth.router())
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const port = (server.address() as AddressInfo).port
  try {
    const { cookie, csrfToken } = await auth.issueSession(user)
    clock.advance(11 * 60_000) // the access token has expired
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`http://127.0.0.1:${port}/auth/refresh`, { method: 'POST', headers: { cookie, origin, 'x-csrf-token': csrfToken } }).then((res) => ({
          status: res.status,
          refresh: (res.headers.getSetCookie().find((line) => line.startsWith('__Secure-refresh=')) ?? '').split(';')[0],
        })),
      ),
    )
    const elapsedMs = performance.now() - started
    const events = audit.ofType('REFRESH_ROTATED')
    // Requests that arrive after the rotation finished get the same successor back (grace window).
    const rotations = events.filter((event) => event.data?.replayed !== true).length
    const replays = events.length - rotations
    const row = {
      name: 'refresh storm: 100 concurrent refreshes of one session',
      requests: answers.length,
      ok: answers.filter((a) => a.status === 204).length,
      errors: answers.filter((a) => a.status !== 204).length,
      rotations,
      replays,
      distinctRefreshTokens: new Set(answers.map((a) => a.refresh)).size,
      elapsedMs: Math.round(elapsedMs),
    }
    console.log('\n## refresh storm')
    console.table([row])
    return [row]
  } finally {
    server.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await refreshStormBench()
