import {
  MemoryKeyStore,
  MemoryRefreshStore,
  MemorySecondFactorStore,
  MemorySessionStore,
  type KeyStore,
  type RateLimitStore,
  type RefreshStore,
  type SecondFactorStore,
  type SessionStore,
} from '@acme/auth-core'
import {
  createPostgresRateLimitStore,
  migrate,
  PostgresKeyStore,
  PostgresRefreshStore,
  PostgresSecondFactorStore,
  PostgresSessionStore,
  prune,
} from '@acme/auth-core/postgres'
import { createRedisRateLimitStore, RedisKeyStore, RedisRefreshStore, RedisSecondFactorStore, RedisSessionStore, type RedisClient } from '@acme/auth-core/redis'
import { Cluster, Redis } from 'ioredis'
import pg from 'pg'
import type { DemoConfig } from '../config.js'

/** Where the web app's sessions, keys, refresh families, second factors and rate limits live. */
export interface StoreBackend {
  /** For the start-up banner: `memory`, `Redis (acme-demo:*)`, `PostgreSQL (schema acme_auth)`, … */
  description: string
  sessionStore: SessionStore
  keyStore: KeyStore
  refreshStore: RefreshStore
  /** TOTP factors, recovery codes, passkeys, pending sign-ins and WebAuthn challenges. */
  secondFactorStore: SecondFactorStore
  /** Where every brute-force limit counts (sign-in, token routes, OAuth starts). */
  rateLimits: RateLimitStore | 'memory'
  /** The pool and schema when the stores are in PostgreSQL (the user directory shares them). */
  postgres?: { pool: pg.Pool; schema: string }
  close(): Promise<void>
}

export type BackendConfig = Pick<DemoConfig, 'redisUrl' | 'redisClusterNodes' | 'redisPrefix' | 'databaseUrl' | 'databaseSchema'>

const pruneEveryMs = 5 * 60_000

/**
 * Opens the stores `config` asks for: PostgreSQL with `DATABASE_URL` (migrated here, expired rows
 * pruned every 5 minutes), Redis with `REDIS_URL` or `REDIS_CLUSTER_NODES`, memory otherwise.
 */
export async function openStoreBackend(config: BackendConfig): Promise<StoreBackend> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databaseSchema)
  if (config.redisUrl || config.redisClusterNodes) return openRedis(config)
  return {
    description: 'memory',
    sessionStore: new MemorySessionStore(),
    keyStore: new MemoryKeyStore(),
    refreshStore: new MemoryRefreshStore(),
    secondFactorStore: new MemorySecondFactorStore(),
    rateLimits: 'memory',
    close: () => Promise.resolve(),
  }
}

async function openPostgres(connectionString: string, schema: string): Promise<StoreBackend> {
  // The stores bound each query themselves (timeoutMs, 2 s by default); the pool's bounds cover everything else.
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000, query_timeout: 5_000 })
  // An idle connection the server drops is replaced on the next query; it must not crash the app.
  pool.on('error', (error) => console.error(`[demo] PostgreSQL: ${error.message}`))
  try {
    await migrate(pool, { schema })
  } catch (error) {
    await pool.end()
    throw error
  }
  const sessionStore = new PostgresSessionStore({ pool, schema })
  const pruning = setInterval(() => void prune(pool, { schema }).catch(() => {}), pruneEveryMs)
  pruning.unref()
  return {
    description: `PostgreSQL (schema ${schema})`,
    sessionStore,
    keyStore: new PostgresKeyStore({ pool, schema }),
    refreshStore: new PostgresRefreshStore({ pool, schema }),
    secondFactorStore: new PostgresSecondFactorStore({ pool, schema }),
    rateLimits: createPostgresRateLimitStore({ pool, schema }),
    postgres: { pool, schema },
    async close() {
      clearInterval(pruning)
      await sessionStore.close()
      await pool.end()
    },
  }
}

async function openRedis(config: BackendConfig): Promise<StoreBackend> {
  const options = { enableOfflineQueue: false, lazyConnect: true } as const
  const client: RedisClient = config.redisClusterNodes
    ? new Cluster(config.redisClusterNodes.map((node) => ({ ...node })), options)
    : new Redis(config.redisUrl!, options)
  await client.connect()
  const prefix = config.redisPrefix
  const sessionStore = new RedisSessionStore({ client, prefix })
  return {
    description: `${config.redisClusterNodes ? 'Redis Cluster' : 'Redis'} (${prefix}*)`,
    sessionStore,
    keyStore: new RedisKeyStore({ client, prefix }),
    refreshStore: new RedisRefreshStore({ client, prefix }),
    secondFactorStore: new RedisSecondFactorStore({ client, prefix }),
    rateLimits: createRedisRateLimitStore({ client, prefix: `${prefix}rl:` }),
    async close() {
      await sessionStore.close()
      client.disconnect()
    },
  }
}
