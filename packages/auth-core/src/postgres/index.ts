// Entry of '@acme/auth-core/postgres': the PostgreSQL stores, migrations and pruning (Node only, needs pg).
export { postgresCall, type PostgresPool } from './postgres-client.js'
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.js'
export { prune, type PruneOptions, type PruneResult } from './prune.js'
export { PostgresSessionStore, type PostgresSessionStoreOptions } from './postgres-session-store.js'
export type { ListenHeartbeat } from './postgres-invalidation-listener.js'
export { PostgresRefreshStore, type PostgresRefreshStoreOptions } from './postgres-refresh-store.js'
export { PostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js'
export { PostgresOneTimeTokenStore, type PostgresOneTimeTokenStoreOptions } from './postgres-one-time-token-store.js'
export { createPostgresRateLimitStore, type PostgresRateLimitStoreOptions } from './postgres-rate-limit-store.js'
export { PostgresSecondFactorStore, type PostgresSecondFactorStoreOptions } from './postgres-second-factor-store.js'
export {
  normaliseEmail,
  PostgresUserDirectory,
  type NewPostgresUser,
  type PostgresDirectoryUser,
  type PostgresLinkedAccount,
  type PostgresUserDirectoryOptions,
  type ProviderAccountLink,
  type SeedPostgresUser,
} from './postgres-user-directory.js'
export { DEFAULT_STORE_TIMEOUT_MS } from './postgres-timeout.js'
