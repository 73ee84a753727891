import {
  createAccessTokens,
  createKeyRing,
  createRefreshFamilies,
  createSessionManager,
  type AccessTokens,
  type AuditSink,
  type KeyRing,
  type RateLimitStore,
  type RefreshFamilies,
  type SecondFactorStore,
  type SessionManager,
} from '@acme/auth-core'
import type { PostgresPool } from '@acme/auth-core/postgres'
import type { DemoConfig } from '../config.js'
import { openStoreBackend, type BackendConfig } from './store-backend.js'

/** The auth building blocks of the web app, on memory stores, Redis (or a cluster) or PostgreSQL. */
export interface AuthStores {
  sessions: SessionManager
  keyRing: KeyRing
  accessTokens: AccessTokens
  refreshFamilies: RefreshFamilies
  /** TOTP, recovery codes and passkeys (next to the sessions: memory, Redis or PostgreSQL). */
  secondFactors: SecondFactorStore
  /** Where every brute-force limit counts (sign-in, token routes, OAuth starts): the shared store when there is one. */
  rateLimits: RateLimitStore | 'memory'
  /** Where the stores live, for the start-up banner. */
  description: string
  /** The pool and schema when the stores are in PostgreSQL (the user directory lives there too). */
  postgres?: { pool: PostgresPool; schema: string }
  close(): Promise<void>
}

type StoreConfig = BackendConfig &
  Pick<DemoConfig, 'secret' | 'appOrigin' | 'accessTokenSeconds' | 'sessionIdleSeconds' | 'sessionAbsoluteSeconds'>

/** Builds the stores and waits until the key ring is usable (a wrong secret fails here). */
export async function createAuthStores(config: StoreConfig, audit: AuditSink): Promise<AuthStores> {
  const backend = await openStoreBackend(config)
  const sessions = createSessionManager({
    store: backend.sessionStore,
    audit,
    expiry: { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds },
  })
  const keyRing = createKeyRing({ store: backend.keyStore, secret: config.secret, audit })
  try {
    await keyRing.ready()
  } catch (error) {
    await backend.close()
    throw error
  }
  keyRing.start()
  const accessTokens = createAccessTokens({
    keyRing,
    issuer: config.appOrigin,
    audience: config.appOrigin,
    lifetimeSeconds: config.accessTokenSeconds,
  })
  const refreshFamilies = createRefreshFamilies({
    store: backend.refreshStore,
    accessTokens,
    // A family lives only while its session does; each refresh slides the session.
    sessions,
    audit,
  })

  return {
    sessions,
    keyRing,
    accessTokens,
    refreshFamilies,
    secondFactors: backend.secondFactorStore,
    rateLimits: backend.rateLimits,
    description: backend.description,
    ...(backend.postgres ? { postgres: backend.postgres } : {}),
    async close() {
      keyRing.stop()
      sessions.close()
      await backend.close()
    },
  }
}
