import { randomUUID } from 'node:crypto'
import { requireObject } from '../lib/options.js'
import { firstRow, inTransaction, requirePool, toMillis, toMillisOrNull, validateSchema, type PostgresPool } from './postgres-client.js'
import { boundedDb, storeTimeout, type BoundedDb } from './postgres-timeout.js'

/**
 * A user as {@link PostgresUserDirectory} returns it: the shape of `@acme/auth-server`'s
 * `DirectoryUser`, with every optional field present.
 */
export interface PostgresDirectoryUser {
  id: string
  /** Lower-cased, NFKC-normalised. */
  email: string
  name: string
  roles: string[]
  /** PHC string; `null` for a user who signs in with a provider only. */
  passwordHash: string | null
  emailVerified: boolean
  /** When the password was last set (epoch ms); a re-hash after sign-in keeps it. */
  passwordSetAt: number | null
  createdAt: number
}

/** What {@link PostgresUserDirectory.create} takes (the server's `NewDirectoryUser`, plus roles). */
export interface NewPostgresUser {
  email: string
  name: string
  /** PHC string, or `null` for a provider-only account (an OAuth `findOrCreate` hook). */
  passwordHash: string | null
  emailVerified: boolean
  /** @default the directory's `defaultRoles` */
  roles?: readonly string[]
}

/** A provider linked to a user (`GET /auth/accounts`). */
export interface PostgresLinkedAccount {
  provider: string
  /** Epoch ms. */
  linkedAt: number
}

/** A provider account to link: `(provider, subject)` is the external account's stable key. */
export interface ProviderAccountLink {
  userId: string
  /** The provider's route name (`github`): what `GET /auth/accounts` lists and `DELETE /auth/accounts/:provider` unlinks. */
  provider: string
  /** The provider's `sub`. */
  subject: string
  /** The address the provider gave, kept for support; never used to link. */
  email?: string | null
}

/** A user {@link PostgresUserDirectory.seed} writes with a fixed id (fixtures, demo accounts). */
export interface SeedPostgresUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  passwordHash: string | null
  emailVerified?: boolean
}

/** Options of {@link PostgresUserDirectory}. */
export interface PostgresUserDirectoryOptions {
  pool: PostgresPool
  /** @default 'acme_auth' */
  schema?: string
  /** Roles of a user created without any. @default ['member'] */
  defaultRoles?: readonly string[]
  /** Epoch ms for `created_at`, `linked_at` and friends. @default Date.now */
  now?: () => number
  /** @default () => `u-${randomUUID()}` */
  newId?: () => string
  /** Bound on every operation (ms): past it, `ERR_STORE_UNAVAILABLE`. @default 2000 */
  timeoutMs?: number
}

interface Row {
  id: string
  email: string
  name: string
  roles: string[]
  email_verified_at: string | null
  created_at: string
  hash: string | null
  set_at: string | null
}

/** The same normalisation as the server's routes: NFKC, trimmed, lower-cased. */
export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase()

function optionalFunction<F>(value: unknown, path: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${path} must be a function`)
  return value as F | undefined
}

const toUser = (row: Row): PostgresDirectoryUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  roles: [...row.roles],
  passwordHash: row.hash,
  emailVerified: row.email_verified_at !== null,
  passwordSetAt: toMillisOrNull(row.set_at),
  createdAt: toMillis(row.created_at),
})

/**
 * The account routes' user directory on migration 1's `users`, `linked_accounts` and
 * `password_hashes` tables: every method of `@acme/auth-server`'s `UserDirectory` (pass it as
 * `createAuth({ users })`), plus {@link linkAccount} and {@link findByLinkedAccount} for an OAuth
 * `findOrCreate` hook. Each method is one statement (the seed alone is one transaction): `create`
 * is `INSERT … ON CONFLICT (email) DO NOTHING`, so of concurrent sign-ups for one address exactly
 * one creates it and the others get `null`; `markEmailVerified` updates only while the address is
 * still the user's. Deleting a user deletes their linked accounts and password hash (foreign keys
 * `ON DELETE CASCADE`). A disabled user (`disabled_at` set) is not found.
 *
 * @example
 * ```ts
 * const users = new PostgresUserDirectory({ pool })
 * const auth = createAuth({ users, accounts: { mailer, links }, … })
 * ```
 */
export class PostgresUserDirectory {
  readonly #db: BoundedDb
  readonly #timeoutMs: number
  readonly #now: () => number
  readonly #newId: () => string
  readonly #defaultRoles: readonly string[]
  readonly #t: { users: string; links: string; hashes: string }
  readonly #select: string

  constructor(options: PostgresUserDirectoryOptions) {
    const input = requireObject(options, 'options')
    const schema = validateSchema(input.schema)
    this.#timeoutMs = storeTimeout(input.timeoutMs)
    this.#db = boundedDb(requirePool(input.pool), this.#timeoutMs)
    this.#now = optionalFunction<() => number>(input.now, 'options.now') ?? Date.now
    this.#newId = optionalFunction<() => string>(input.newId, 'options.newId') ?? (() => `u-${randomUUID()}`)
    const roles = input.defaultRoles ?? ['member']
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) throw new TypeError('options.defaultRoles must be an array of strings')
    this.#defaultRoles = Object.freeze([...roles])
    this.#t = { users: `"${schema}".users`, links: `"${schema}".linked_accounts`, hashes: `"${schema}".password_hashes` }
    this.#select = `SELECT u.id, u.email, u.name, u.roles, u.email_verified_at, u.created_at, p.hash, p.set_at
      FROM ${this.#t.users} u LEFT JOIN ${this.#t.hashes} p ON p.user_id = u.id`
  }

  async findByEmail(email: string): Promise<PostgresDirectoryUser | null> {
    if (typeof email !== 'string') return null
    return this.#one('user findByEmail', `${this.#select} WHERE u.email = $1 AND u.disabled_at IS NULL`, [normaliseEmail(email)])
  }

  async findById(id: string): Promise<PostgresDirectoryUser | null> {
    return this.#one('user findById', `${this.#select} WHERE u.id = $1 AND u.disabled_at IS NULL`, [id])
  }

  /** The user who linked `(provider, subject)`, or `null`. */
  async findByLinkedAccount(provider: string, subject: string): Promise<PostgresDirectoryUser | null> {
    return this.#one(
      'user findByLinkedAccount',
      `${this.#select} JOIN ${this.#t.links} l ON l.user_id = u.id WHERE l.provider = $1 AND l.subject = $2 AND u.disabled_at IS NULL`,
      [provider, subject],
    )
  }

  /** Creates the user, or answers `null` when the address is taken (one statement, no read first). */
  async create(user: NewPostgresUser): Promise<PostgresDirectoryUser | null> {
    const now = this.#now()
    return this.#one(
      'user create',
      `WITH u AS (
         INSERT INTO ${this.#t.users} (id, email, email_verified_at, name, roles, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email) DO NOTHING
         RETURNING id, email, name, roles, email_verified_at, created_at
       ), p AS (
         INSERT INTO ${this.#t.hashes} (user_id, hash, updated_at, set_at)
         SELECT id, $7, $6, $6 FROM u WHERE $7::text IS NOT NULL
         RETURNING hash, set_at
       )
       SELECT u.*, p.hash, p.set_at FROM u LEFT JOIN p ON true`,
      [this.#newId(), normaliseEmail(user.email), user.emailVerified ? now : null, user.name, [...(user.roles ?? this.#defaultRoles)], now, user.passwordHash],
    )
  }

  /** Marks `email` verified, only while it is still the user's address. */
  async markEmailVerified(id: string, email: string): Promise<void> {
    const now = this.#now()
    await this.#run(
      'user markEmailVerified',
      `UPDATE ${this.#t.users} SET email_verified_at = COALESCE(email_verified_at, $3), updated_at = $3 WHERE id = $1 AND email = $2`,
      [id, normaliseEmail(email), now],
    )
  }

  /** Sets the password (reset, change, first password), or removes it (`null`). */
  async setPasswordHash(id: string, passwordHash: string | null): Promise<void> {
    if (passwordHash === null) {
      await this.#run('user setPasswordHash', `DELETE FROM ${this.#t.hashes} WHERE user_id = $1`, [id])
      return
    }
    await this.#run(
      'user setPasswordHash',
      `INSERT INTO ${this.#t.hashes} (user_id, hash, updated_at, set_at) SELECT id, $2, $3, $3 FROM ${this.#t.users} WHERE id = $1
       ON CONFLICT (user_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at, set_at = EXCLUDED.set_at`,
      [id, passwordHash, this.#now()],
    )
  }

  /** The same password, re-hashed with current parameters: `passwordSetAt` stays. */
  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.#run('user updatePasswordHash', `UPDATE ${this.#t.hashes} SET hash = $2, updated_at = $3 WHERE user_id = $1`, [id, passwordHash, this.#now()])
  }

  /** The user's providers, oldest link first (`password` is not one: the route adds it). */
  async listAccounts(id: string): Promise<PostgresLinkedAccount[]> {
    const { rows } = await this.#db.call('user listAccounts', (db) =>
      db.query<{ provider: string; linked_at: string }>(
        `SELECT provider, min(linked_at) AS linked_at FROM ${this.#t.links} WHERE user_id = $1 GROUP BY provider ORDER BY 2, 1`,
        [id],
      ),
    )
    return rows.map((row) => ({ provider: row.provider, linkedAt: toMillis(row.linked_at) }))
  }

  /** Unlinks every account of `provider` from the user; `false` when none was linked. */
  async unlinkAccount(id: string, provider: string): Promise<boolean> {
    return (await this.#run('user unlinkAccount', `DELETE FROM ${this.#t.links} WHERE user_id = $1 AND provider = $2`, [id, provider])) > 0
  }

  /**
   * Links a provider account to a user. `true` when `(provider, subject)` is linked to that user
   * now (newly or already); `false` when it belongs to another user or the user does not exist.
   */
  async linkAccount(link: ProviderAccountLink): Promise<boolean> {
    const row = await this.#db.call('user linkAccount', (db) =>
      firstRow<{ user_id: string }>(
        db,
        `WITH added AS (
           INSERT INTO ${this.#t.links} (provider, subject, user_id, email, linked_at)
           SELECT $2, $3, id, $4, $5 FROM ${this.#t.users} WHERE id = $1
           ON CONFLICT (provider, subject) DO NOTHING RETURNING user_id
         )
         SELECT user_id FROM added UNION ALL SELECT user_id FROM ${this.#t.links} WHERE provider = $2 AND subject = $3`,
        [link.userId, link.provider, link.subject, link.email ?? null, this.#now()],
      ),
    )
    return row?.user_id === link.userId
  }

  /**
   * Moves the user to `newEmail`, verified now (its owner just confirmed it): `false` when another
   * account holds the address. One statement; two changes racing for one address meet the unique
   * index, and the loser answers `false`.
   */
  async changeEmail(id: string, newEmail: string): Promise<boolean> {
    const result = await this.#db.call('user changeEmail', (db) =>
      db
        .query(
          `UPDATE ${this.#t.users} SET email = $2, email_verified_at = $3, updated_at = $3
           WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM ${this.#t.users} WHERE email = $2 AND id <> $1)`,
          [id, normaliseEmail(newEmail), this.#now()],
        )
        .catch((error: unknown) => {
          if ((error as { code?: unknown }).code === '23505') return { rowCount: 0 }
          throw error
        }),
    )
    return (result.rowCount ?? 0) > 0
  }

  /** Deletes the user; their linked accounts and password hash go with them. */
  async delete(id: string): Promise<void> {
    await this.#run('user delete', `DELETE FROM ${this.#t.users} WHERE id = $1`, [id])
  }

  /**
   * Writes a user with a fixed id, as given (email, name, roles, verified, password): idempotent,
   * for fixtures and demo accounts at start-up. Whoever else holds the address is deleted first.
   */
  async seed(user: SeedPostgresUser): Promise<void> {
    const now = this.#now()
    const email = normaliseEmail(user.email)
    await this.#db.call('user seed', (db) =>
      inTransaction(db, async (client) => {
        await client.query(`DELETE FROM ${this.#t.users} WHERE email = $1 AND id <> $2`, [email, user.id])
        await client.query(
          `INSERT INTO ${this.#t.users} (id, email, email_verified_at, name, roles, created_at, updated_at, disabled_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6, NULL)
           ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, roles = EXCLUDED.roles, disabled_at = NULL,
             email_verified_at = CASE WHEN $3::bigint IS NULL THEN NULL ELSE COALESCE(${this.#t.users}.email_verified_at, $3) END,
             updated_at = EXCLUDED.updated_at`,
          [user.id, email, user.emailVerified === false ? null : now, user.name, [...user.roles], now],
        )
        if (user.passwordHash === null) await client.query(`DELETE FROM ${this.#t.hashes} WHERE user_id = $1`, [user.id])
        else {
          await client.query(
            `INSERT INTO ${this.#t.hashes} (user_id, hash, updated_at, set_at) VALUES ($1, $2, $3, $3)
             ON CONFLICT (user_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at`,
            [user.id, user.passwordHash, now],
          )
        }
      }),
    )
  }

  /** Users by creation, oldest first (an admin page): at most `limit`. */
  async list(options: { limit?: number } = {}): Promise<PostgresDirectoryUser[]> {
    const limit = Math.max(1, Math.min(1000, Math.trunc(options.limit ?? 100)))
    const { rows } = await this.#db.call('user list', (db) =>
      db.query<Row>(`${this.#select} WHERE u.disabled_at IS NULL ORDER BY u.created_at, u.id LIMIT $1`, [limit]),
    )
    return rows.map(toUser)
  }

  async #one(operation: string, text: string, values: unknown[]): Promise<PostgresDirectoryUser | null> {
    const row = await this.#db.call(operation, (db) => firstRow<Row>(db, text, values))
    return row ? toUser(row) : null
  }

  async #run(operation: string, text: string, values: unknown[]): Promise<number> {
    const result = await this.#db.call(operation, (db) => db.query(text, values))
    return result.rowCount ?? 0
  }
}
