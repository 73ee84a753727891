import {
  createAccessTokens,
  createKeyRing,
  createLoginLimiter,
  createRefreshFamilies,
  createSessionManager,
  MemoryKeyStore,
  MemoryRefreshStore,
  MemorySessionStore,
  type AccessTokens,
  type AuditSink,
  type KeyRing,
  type LoginLimiter,
  type RefreshFamilies,
  type SessionManager,
} from '@acme/auth-core'
import { createRedisRateLimitStore, RedisKeyStore, RedisRefreshStore, RedisSessionStore } from '@acme/auth-core/redis'
import { Redis } from 'ioredis'
import type { DemoConfig } from '../config.js'

/** The auth building blocks of the web app, on memory stores or (with REDIS_URL) on Redis. */
export interface AuthStores {
  sessions: SessionManager
  keyRing: KeyRing
  accessTokens: AccessTokens
  refreshFamilies: RefreshFamilies
  limiter: LoginLimiter
  close(): Promise<void>
}

type StoreConfig = Pick<
  DemoConfig,
  'redisUrl' | 'redisPrefix' | 'secret' | 'appOrigin' | 'accessTokenSeconds' | 'sessionIdleSeconds' | 'sessionAbsoluteSeconds'
>

/** Builds the stores and waits until the key ring is usable (a wrong secret fails here). */
export async function createAuthStores(config: StoreConfig, audit: AuditSink): Promise<AuthStores> {
  const redis = config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, lazyConnect: true }) : undefined
  if (redis) await redis.connect()
  const prefix = config.redisPrefix
  const sessionStore = redis ? new RedisSessionStore({ client: redis, prefix }) : new MemorySessionStore()
  const sessions = createSessionManager({
    store: sessionStore,
    audit,
    expiry: { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds },
  })
  const keyRing = createKeyRing({
    store: redis ? new RedisKeyStore({ client: redis, prefix }) : new MemoryKeyStore(),
    secret: config.secret,
    audit,
  })
  await keyRing.ready()
  keyRing.start()
  const accessTokens = createAccessTokens({
    keyRing,
    issuer: config.appOrigin,
    audience: config.appOrigin,
    lifetimeSeconds: config.accessTokenSeconds,
  })
  const refreshFamilies = createRefreshFamilies({
    store: redis ? new RedisRefreshStore({ client: redis, prefix }) : new MemoryRefreshStore(),
    accessTokens,
    audit,
  })
  const limiter = createLoginLimiter({ store: redis ? createRedisRateLimitStore({ client: redis, prefix: `${prefix}rl:` }) : 'memory' })

  return {
    sessions,
    keyRing,
    accessTokens,
    refreshFamilies,
    limiter,
    async close() {
      keyRing.stop()
      if (sessionStore instanceof RedisSessionStore) await sessionStore.close()
      redis?.disconnect()
    },
  }
}
