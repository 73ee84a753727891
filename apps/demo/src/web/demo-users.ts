import type { PasswordHasher } from '@acme/auth-core'
import { PostgresUserDirectory, type PostgresPool } from '@acme/auth-core/postgres'
import { createMemoryUserDirectory, type DirectoryUser, type UserDirectory } from '@acme/auth-server'

/** A seeded account: the password is hashed at start-up and never kept. */
export interface SeedUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  password?: string
}

/**
 * The demo's user directory: every optional method, so sign-up, verification, reset, change,
 * linked accounts and deletion all exist. In memory (the server package's memory directory), or
 * in PostgreSQL (core's `PostgresUserDirectory`) when the stores are there.
 */
export interface DemoUsers extends Required<UserDirectory> {
  /** Everyone, for the admin page. */
  list(): Promise<DirectoryUser[]>
  /** Records that `subject` at `provider` signs in as the user (the OAuth hook). */
  link(id: string, provider: string, subject: string): Promise<void>
  /** Where the users live, for the start-up banner. */
  readonly description: string
}

/** Where the directory keeps its users: memory unless a PostgreSQL pool and schema are given. */
export interface DemoUsersBackend {
  pool: PostgresPool
  schema: string
}

/**
 * Builds the directory and seeds `seed` at start-up, verified. In PostgreSQL the seed is
 * idempotent: each start writes the same accounts again (same ids, passwords and roles), so a
 * restart neither duplicates them nor keeps a password someone changed in the last run.
 */
export async function createDemoUsers(seed: readonly SeedUser[], hasher: PasswordHasher, backend?: DemoUsersBackend): Promise<DemoUsers> {
  const accounts = await Promise.all(
    seed.map(async (user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      passwordHash: user.password === undefined ? null : await hasher.hash(user.password),
    })),
  )
  if (backend) {
    const directory = new PostgresUserDirectory({ pool: backend.pool, schema: backend.schema })
    for (const account of accounts) await directory.seed(account)
    return Object.freeze({
      findByEmail: (email: string) => directory.findByEmail(email),
      findById: (id: string) => directory.findById(id),
      updatePasswordHash: (id: string, hash: string) => directory.updatePasswordHash(id, hash),
      create: (user) => directory.create(user),
      markEmailVerified: (id: string, email: string) => directory.markEmailVerified(id, email),
      setPasswordHash: (id: string, hash: string | null) => directory.setPasswordHash(id, hash),
      listAccounts: (id: string) => directory.listAccounts(id),
      unlinkAccount: (id: string, provider: string) => directory.unlinkAccount(id, provider),
      delete: (id: string) => directory.delete(id),
      changeEmail: (id: string, email: string) => directory.changeEmail(id, email),
      list: () => directory.list(),
      async link(id, provider, subject) {
        await directory.linkAccount({ userId: id, provider, subject })
      },
      description: `PostgreSQL (schema ${backend.schema})`,
    } satisfies DemoUsers)
  }
  const directory = createMemoryUserDirectory()
  for (const account of accounts) directory.add({ ...account, emailVerified: true })
  return Object.freeze({
    ...directory,
    list: () => Promise.resolve([...directory.users.values()]),
    link: (id: string, provider: string) => Promise.resolve(directory.link(id, provider)),
    description: 'memory',
  })
}
