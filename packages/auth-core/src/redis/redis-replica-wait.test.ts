// `waitForReplicas` on the Redis refresh store, on a Redis with fewer replicas than asked: every
// revocation waits for WAIT's timeout and fails closed; creation and rotation never wait.
import { createTestClock, createTestKeyRing, deleteRedisPrefix } from '@acme/auth-testing'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { isAuthError } from '../errors.js'
import { createAccessTokens } from '../tokens/access-tokens.js'
import { createRefreshFamilies } from '../refresh/refresh-families.js'
import { RedisRefreshStore } from './redis-refresh-store.js'

const prefix = `test:core-replica-wait:${process.pid}:`
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 })

afterAll(async () => {
  await deleteRedisPrefix(client, prefix)
  client.disconnect()
})

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (isAuthError(error) ? error.code : String(error)))

describe('RedisRefreshStore waitForReplicas', () => {
  it('revoking a family or all of a user’s waits for the replicas and fails closed without them; issue and rotate do not wait', async () => {
    await client.connect()
    const info = await client.info('replication')
    const replicas = Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 0)
    const store = new RedisRefreshStore({ client, prefix, waitForReplicas: { replicas: replicas + 1, timeoutMs: 200 } })
    const clock = createTestClock()
    const keyRing = await createTestKeyRing({ clock })
    const accessTokens = createAccessTokens({ keyRing, issuer: 'https://app.example.com', audience: 'api', clock })
    const families = createRefreshFamilies({ store, accessTokens, clock })

    const started = performance.now()
    const first = await families.issue({ sub: 'u-wait', sid: 's-1', roles: [] })
    const second = await families.rotate(first.refreshToken)
    expect(performance.now() - started).toBeLessThan(190) // no WAIT on the way

    const other = await families.issue({ sub: 'u-wait', sid: 's-2', roles: [] })
    const before = performance.now()
    expect(await codeOf(store.revokeFamily(other.familyId, clock.now(), 'logout'))).toBe('ERR_STORE_UNAVAILABLE')
    expect(performance.now() - before).toBeGreaterThanOrEqual(195)
    expect((await families.inspect(other.refreshToken))?.live).toBe(false) // the master has it
    expect(await codeOf(store.revokeAllForUser('u-wait', clock.now(), 'user'))).toBe('ERR_STORE_UNAVAILABLE')
    expect((await families.inspect(second.refreshToken))?.live).toBe(false)
    expect(() => new RedisRefreshStore({ client, prefix, waitForReplicas: { timeoutMs: 1000 } })).toThrow(TypeError)
  })
})
