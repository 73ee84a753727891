import { createTestClock, deleteRedisPrefix, dumpRedis, createRecordingAuditSink } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEvent, AuditSink } from '../audit/audit-event.js'
import { RedisKeyStore } from '../redis/redis-key-store.js'
import { createAccessTokenVerifier } from '../tokens/access-token-verifier.js'
import { createAccessTokens } from '../tokens/access-tokens.js'
import { createKeyRing } from './key-ring.js'

const secret = 'a-key-encryption-secret-of-32-chars!!'
const prefix = `test:keys:${process.pid}:${Math.random().toString(36).slice(2)}:`
const clients: Redis[] = []

async function connect() {
  const client = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false })
  await client.connect()
  clients.push(client)
  return client
}

beforeAll(async () => {
  await connect()
})

afterAll(async () => {
  await deleteRedisPrefix(clients[0]!, prefix)
  for (const client of clients) client.disconnect()
})

describe('key ring on Redis, two instances', () => {
  it('agree on one ring, rotate once, and verify each other’s tokens', async () => {
    const clock = createTestClock()
    const events: AuditEvent[] = []
    const audit = recordInto(events)
    // Two "servers": their own connection, store object and ring, one Redis and one clock.
    const [a, b] = await Promise.all(
      [0, 1].map(async () => {
        const keyRing = createKeyRing({ store: new RedisKeyStore({ client: await connect(), prefix }), secret, clock, audit })
        const tokens = createAccessTokens({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
        const verifier = createAccessTokenVerifier({ keyRing, issuer: 'https://app.test', audience: 'api', clock })
        return { keyRing, tokens, verifier }
      }),
    )
    await Promise.all([a!.keyRing.ready(), b!.keyRing.ready()])
    expect(events.filter((event) => event.type === 'KEY_ROTATED')).toHaveLength(1) // one bootstrap, not two
    expect(await b!.keyRing.jwks()).toEqual(await a!.keyRing.jwks())

    clock.advance(30 * 86_400_000)
    await Promise.all([a!.keyRing.maintain(), b!.keyRing.maintain(), a!.keyRing.maintain(), b!.keyRing.maintain()])
    expect(events.filter((event) => event.type === 'KEY_ROTATED')).toHaveLength(2)
    clock.advance(30_000) // each instance re-reads the ring within refreshSeconds
    const listed = await a!.keyRing.list()
    expect(listed.map((key) => key.status)).toEqual(['active', 'next'])
    expect(await b!.keyRing.list()).toEqual(listed)

    // An emergency rotation on A: B picks up the unknown kid at once (re-read on unknown kid).
    const fresh = await a!.keyRing.rotate({ compromised: true })
    const token = (await a!.tokens.issue({ sub: 'u1', sid: 's1', roles: [] })).token
    await expect(b!.verifier.verify(token)).resolves.toMatchObject({ sub: 'u1' })
    expect((await b!.keyRing.jwks()).keys.map((key) => key.kid)).toEqual([fresh.kid])

    // Nothing in Redis holds a private key in the clear.
    const dump = await dumpRedis(clients[0]!, prefix)
    expect(dump).toContain(fresh.kid)
    expect(dump).not.toMatch(/\\"d\\"/)
  })
})

/** Keeps this file's events for its own assertions and records them for the whole-run secret check. */
function recordInto(events: AuditEvent[]): AuditSink {
  const recording = createRecordingAuditSink()
  return {
    emit(event) {
      events.push(event)
      recording.emit(event)
    },
  }
}
