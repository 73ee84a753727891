// Entry of '@acme/auth-core/postgres/drizzle': the tables of migrations 1 to 3 as Drizzle ORM tables, for
// apps that query them (join users to sessions, list devices) with Drizzle. `migrate()` owns them:
// a change here goes with a new migration, and the test beside this file compares the two.
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import type { CompletedFactor } from '../factors/second-factor-store.js'
import type { PublicJwk } from '../keys/signing-key.js'
import type { RefreshGrant } from '../refresh/refresh-store.js'
import type { SessionData } from '../sessions/session.js'
import { DEFAULT_SCHEMA, validateSchema } from './postgres-client.js'

/** Epoch milliseconds (`bigint`), read and written as a JavaScript number. */
const millis = (name: string) => bigint(name, { mode: 'number' })

/**
 * The tables that `migrate(pool, { schema })` creates, as Drizzle tables in `pgSchema(schema)`:
 * one Postgres schema of their own, apart from the app's. Column names, types, nullability,
 * defaults, keys, checks and indexes match the migration; times are epoch milliseconds as numbers.
 * Call it with the `schema` you gave `migrate()` and the stores (`'public'` is refused by Drizzle).
 *
 * @example
 * ```ts
 * import { eq } from 'drizzle-orm'
 * import { drizzle } from 'drizzle-orm/node-postgres'
 * import { createAuthTables } from '@acme/auth-core/postgres/drizzle'
 *
 * const { sessions } = createAuthTables('acme_auth')
 * const db = drizzle(pool)
 * const devices = await db.select({ id: sessions.id, userAgent: sessions.userAgent }).from(sessions).where(eq(sessions.userId, 'u-1'))
 * ```
 */
export function createAuthTables(schemaName: string = DEFAULT_SCHEMA) {
  const schema = pgSchema(validateSchema(schemaName))

  const migrations = schema.table('acme_auth_migrations', {
    version: integer('version').primaryKey(),
    name: text('name').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  })

  const sessions = schema.table(
    'sessions',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      secretHash: text('secret_hash').notNull(),
      createdAt: millis('created_at').notNull(),
      lastSeenAt: millis('last_seen_at').notNull(),
      idleExpiresAt: millis('idle_expires_at').notNull(),
      absoluteExpiresAt: millis('absolute_expires_at').notNull(),
      expiresAt: millis('expires_at').generatedAlwaysAs(sql`LEAST(idle_expires_at, absolute_expires_at)`),
      userAgent: text('user_agent'),
      ip: text('ip'),
      authLevel: text('auth_level').notNull(),
      authenticatedAt: millis('authenticated_at').notNull(),
      data: jsonb('data').$type<SessionData>().notNull().default({}),
    },
    (t) => [index('sessions_user_id_idx').on(t.userId), index('sessions_expires_at_idx').on(t.expiresAt)],
  )

  const refreshFamilies = schema.table(
    'refresh_families',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      sessionId: text('session_id').notNull(),
      grantClaims: jsonb('grant_claims').$type<RefreshGrant>().notNull(),
      status: text('status', { enum: ['active', 'revoked'] }).notNull(),
      createdAt: millis('created_at').notNull(),
      lastUsedAt: millis('last_used_at').notNull(),
      idleExpiresAt: millis('idle_expires_at').notNull(),
      absoluteExpiresAt: millis('absolute_expires_at').notNull(),
      expiresAt: millis('expires_at').generatedAlwaysAs(sql`LEAST(idle_expires_at, absolute_expires_at)`),
      currentTokenId: text('current_token_id').notNull(),
      revokedAt: millis('revoked_at'),
      revokedReason: text('revoked_reason'),
    },
    (t) => [
      check('refresh_families_status_check', sql`status IN ('active', 'revoked')`),
      index('refresh_families_user_id_idx').on(t.userId),
      index('refresh_families_expires_at_idx').on(t.expiresAt),
    ],
  )

  const refreshTokens = schema.table(
    'refresh_tokens',
    {
      id: text('id').primaryKey(),
      familyId: text('family_id').notNull(),
      secretHash: text('secret_hash').notNull(),
      status: text('status', { enum: ['current', 'rotated'] }).notNull(),
      createdAt: millis('created_at').notNull(),
      rotatedAt: millis('rotated_at'),
      successorId: text('successor_id'),
      sealedSuccessor: text('sealed_successor'),
    },
    (t) => [
      foreignKey({ name: 'refresh_tokens_family_id_fkey', columns: [t.familyId], foreignColumns: [refreshFamilies.id] }).onDelete('cascade'),
      check('refresh_tokens_status_check', sql`status IN ('current', 'rotated')`),
      index('refresh_tokens_family_id_idx').on(t.familyId),
    ],
  )

  const keyRing = schema.table(
    'key_ring',
    {
      id: smallint('id').primaryKey().default(1),
      version: bigint('version', { mode: 'number' }).notNull(),
    },
    () => [check('key_ring_id_check', sql`id = 1`)],
  )

  const signingKeys = schema.table('signing_keys', {
    kid: text('kid').primaryKey(),
    position: integer('position').notNull(),
    alg: text('alg').notNull(),
    createdAt: millis('created_at').notNull(),
    activatesAt: millis('activates_at').notNull(),
    retiresAt: millis('retires_at'),
    removesAt: millis('removes_at'),
    publicJwk: jsonb('public_jwk').$type<PublicJwk>().notNull(),
    sealedPrivateKey: text('sealed_private_key').notNull(),
  })

  const storeLocks = schema.table(
    'store_locks',
    {
      scope: text('scope').notNull(),
      name: text('name').notNull(),
      token: text('token').notNull(),
      expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    },
    (t) => [primaryKey({ name: 'store_locks_pkey', columns: [t.scope, t.name] }), index('store_locks_expires_at_idx').on(t.expiresAt)],
  )

  const oneTimeTokens = schema.table(
    'one_time_tokens',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      purpose: text('purpose').notNull(),
      secretHash: text('secret_hash').notNull(),
      expiresAt: millis('expires_at').notNull(),
    },
    (t) => [index('one_time_tokens_expires_at_idx').on(t.expiresAt)],
  )

  const rateLimits = schema.table(
    'rate_limits',
    {
      key: text('key').primaryKey(),
      value: doublePrecision('value').notNull(),
      expiresAt: millis('expires_at'),
    },
    (t) => [index('rate_limits_expires_at_idx').on(t.expiresAt).where(sql`expires_at IS NOT NULL`)],
  )

  const users = schema.table(
    'users',
    {
      id: text('id').primaryKey(),
      email: text('email').notNull(),
      emailVerifiedAt: millis('email_verified_at'),
      name: text('name').notNull().default(''),
      roles: text('roles').array().notNull().default([]),
      createdAt: millis('created_at').notNull(),
      updatedAt: millis('updated_at').notNull(),
      disabledAt: millis('disabled_at'),
    },
    (t) => [uniqueIndex('users_email_idx').on(t.email)],
  )

  const linkedAccounts = schema.table(
    'linked_accounts',
    {
      provider: text('provider').notNull(),
      subject: text('subject').notNull(),
      userId: text('user_id').notNull(),
      email: text('email'),
      linkedAt: millis('linked_at').notNull(),
    },
    (t) => [
      primaryKey({ name: 'linked_accounts_pkey', columns: [t.provider, t.subject] }),
      foreignKey({ name: 'linked_accounts_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
      index('linked_accounts_user_id_idx').on(t.userId),
    ],
  )

  const passwordHashes = schema.table(
    'password_hashes',
    {
      userId: text('user_id').primaryKey(),
      hash: text('hash').notNull(),
      updatedAt: millis('updated_at').notNull(),
      setAt: millis('set_at').notNull(),
    },
    (t) => [foreignKey({ name: 'password_hashes_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade')],
  )

  const totpFactors = schema.table(
    'totp_factors',
    {
      userId: text('user_id').primaryKey(),
      sealedSecret: text('sealed_secret').notNull(),
      status: text('status', { enum: ['pending', 'active'] }).notNull(),
      createdAt: millis('created_at').notNull(),
      confirmedAt: millis('confirmed_at'),
      lastUsedStep: bigint('last_used_step', { mode: 'number' }),
    },
    () => [check('totp_factors_status_check', sql`status IN ('pending', 'active')`)],
  )

  const recoveryCodes = schema.table(
    'recovery_codes',
    {
      userId: text('user_id').notNull(),
      codeHash: text('code_hash').notNull(),
      createdAt: millis('created_at').notNull(),
    },
    (t) => [primaryKey({ name: 'recovery_codes_pkey', columns: [t.userId, t.codeHash] })],
  )

  const passkeys = schema.table(
    'passkeys',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      publicKey: text('public_key').notNull(),
      counter: bigint('counter', { mode: 'number' }).notNull(),
      transports: text('transports').array().notNull().default([]),
      deviceType: text('device_type', { enum: ['singleDevice', 'multiDevice'] }).notNull(),
      backedUp: boolean('backed_up').notNull(),
      name: text('name').notNull(),
      createdAt: millis('created_at').notNull(),
      lastUsedAt: millis('last_used_at'),
    },
    (t) => [
      check('passkeys_device_type_check', sql`device_type IN ('singleDevice', 'multiDevice')`),
      index('passkeys_user_id_idx').on(t.userId),
    ],
  )

  const pendingMfa = schema.table(
    'pending_mfa',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      completed: jsonb('completed').$type<CompletedFactor[]>().notNull(),
      methods: text('methods').array().notNull(),
      authLevel: text('auth_level').notNull(),
      attempts: integer('attempts').notNull().default(0),
      createdAt: millis('created_at').notNull(),
      expiresAt: millis('expires_at').notNull(),
    },
    (t) => [index('pending_mfa_expires_at_idx').on(t.expiresAt)],
  )

  const trustedDevices = schema.table(
    'trusted_devices',
    {
      id: text('id').primaryKey(),
      userId: text('user_id').notNull(),
      secretHash: text('secret_hash').notNull(),
      label: text('label').notNull(),
      createdAt: millis('created_at').notNull(),
      expiresAt: millis('expires_at').notNull(),
      lastUsedAt: millis('last_used_at'),
    },
    (t) => [index('trusted_devices_user_id_idx').on(t.userId), index('trusted_devices_expires_at_idx').on(t.expiresAt)],
  )

  return {
    schema,
    migrations,
    sessions,
    refreshFamilies,
    refreshTokens,
    keyRing,
    signingKeys,
    storeLocks,
    oneTimeTokens,
    rateLimits,
    users,
    linkedAccounts,
    passwordHashes,
    totpFactors,
    recoveryCodes,
    passkeys,
    pendingMfa,
    trustedDevices,
  }
}

/** What {@link createAuthTables} returns: the schema and every table in it. */
export type AuthTables = ReturnType<typeof createAuthTables>

const tables: AuthTables = createAuthTables()

/** The tables in the default schema `acme_auth` (use {@link createAuthTables} for another). */
export const {
  schema: acmeAuthSchema,
  migrations: authMigrations,
  sessions,
  refreshFamilies,
  refreshTokens,
  keyRing,
  signingKeys,
  storeLocks,
  oneTimeTokens,
  rateLimits,
  users,
  linkedAccounts,
  passwordHashes,
  totpFactors,
  recoveryCodes,
  passkeys,
  pendingMfa,
  trustedDevices,
} = tables
