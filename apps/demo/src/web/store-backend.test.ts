import { createSessionManager, type PasskeyRecord } from '@acme/auth-core'
import { createTestPostgresSchema, startRedisCluster } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createAuditLog } from './audit-log.js'
import { createAuthStores } from './auth-stores.js'
import { openStoreBackend } from './store-backend.js'

const settings = {
  secret: 'a-test-secret-that-is-long-enough-for-the-key-ring',
  appOrigin: 'http://localhost:3000',
  accessTokenSeconds: 600,
  sessionIdleSeconds: 3600,
  sessionAbsoluteSeconds: 7200,
}

/** A passkey as the server stores it (the key bytes do not matter to the store). */
const passkeyOf = (userId: string): PasskeyRecord => ({
  id: `cred-${userId}-0123456789abcdef`,
  userId,
  publicKey: 'cHVibGljLWtleQ',
  counter: 0,
  transports: ['internal'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: 'Laptop',
  createdAt: Date.now(),
  lastUsedAt: null,
})

describe('the demo’s stores on a shared backend', () => {
  it('DATABASE_URL: migrates the schema at start-up; sessions, keys, factors and limits live in it; close ends the pool', async () => {
    const db = await createTestPostgresSchema({ migrate: false })
    try {
      const stores = await createAuthStores(
        { ...settings, redisUrl: undefined, redisClusterNodes: undefined, redisPrefix: 'unused:', databaseUrl: db.connectionString, databaseSchema: db.schema },
        createAuditLog(),
      )
      expect(stores.description).toBe(`PostgreSQL (schema ${db.schema})`)
      expect(stores.rateLimits).not.toBe('memory')
      const { token } = await stores.sessions.create('u-alice')
      // Another instance on the same database sees the session: it is in PostgreSQL, not in memory.
      const other = await openStoreBackend({ redisUrl: undefined, redisClusterNodes: undefined, redisPrefix: 'unused:', databaseUrl: db.connectionString, databaseSchema: db.schema })
      expect(await createSessionManager({ store: other.sessionStore }).validate(token)).not.toBeNull()
      // Second factors too: a passkey registered on one instance signs in on the other.
      expect(await stores.secondFactors.savePasskey(passkeyOf('u-alice'))).toBe(true)
      expect((await other.secondFactorStore.listPasskeys('u-alice')).map((p) => p.name)).toEqual(['Laptop'])
      await other.close()
      const keys = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}".signing_keys`)
      expect(keys.rows[0]!.n).toBeGreaterThan(0)
      await stores.close()
      // The demo's pool is ended: its stores fail closed from now on.
      await expect(stores.sessions.validate(token)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    } finally {
      await db.close()
    }
  })

  it('REDIS_CLUSTER_NODES: the stores work on a Redis Cluster', async () => {
    const cluster = await startRedisCluster()
    try {
      const config = { redisUrl: undefined, redisClusterNodes: cluster.nodes, redisPrefix: 'demo-cluster:', databaseUrl: undefined, databaseSchema: 'unused' }
      const stores = await createAuthStores({ ...config, ...settings }, createAuditLog())
      expect(stores.description).toBe('Redis Cluster (demo-cluster:*)')
      const { token } = await stores.sessions.create('u-bob')
      const other = await openStoreBackend(config)
      expect(await createSessionManager({ store: other.sessionStore }).validate(token)).not.toBeNull()
      expect(await stores.secondFactors.savePasskey(passkeyOf('u-bob'))).toBe(true)
      expect((await other.secondFactorStore.listPasskeys('u-bob')).map((p) => p.name)).toEqual(['Laptop'])
      await other.close()
      await stores.close()
    } finally {
      await cluster.close()
    }
  }, 60_000)
})
