import type { TestDirectoryUser } from './test-user.js'

/** A directory user as the directory hands it out: never with a plaintext password. */
export type StoredTestUser<User extends TestDirectoryUser> = Omit<User, 'password'>

/**
 * An in-memory user directory with the methods `createAuth({ users })` calls, and the users in
 * plain sight for assertions; see {@link createTestUserDirectory}.
 */
export interface TestUserDirectory<User extends TestDirectoryUser = TestDirectoryUser> {
  /** Finds by email, compared lower-cased and NFKC-normalised (as the server passes it). */
  findByEmail(email: string): Promise<StoredTestUser<User> | null>
  findById(id: string): Promise<StoredTestUser<User> | null>
  /** Replaces the user's hash in place (the object in {@link users} changes). */
  updatePasswordHash(id: string, passwordHash: string): Promise<void>
  /** Adds or replaces users (by email). */
  add(...users: User[]): void
  /**
   * The users, by normalised email: the same objects the test holds, so a test can change one
   * (an old password hash, a new role) or delete one and the next lookup sees it.
   */
  readonly users: Map<string, User>
}

const normalise = (email: string) => email.normalize('NFKC').trim().toLowerCase()

/**
 * A user directory in memory, for `createAuth({ users })` in tests. Lookups return copies without
 * the plaintext `password`, as a real directory would.
 *
 * @example
 * ```ts
 * import { createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
 *
 * const { alice, bob } = await createTestUsers()
 * const users = createTestUserDirectory([alice, bob])
 * await users.findByEmail('ALICE@example.com') // Alice, without `password`
 * users.users.delete(bob.email)                // Bob leaves the company
 * ```
 */
export function createTestUserDirectory<User extends TestDirectoryUser>(initial: Iterable<User> = []): TestUserDirectory<User> {
  const users = new Map<string, User>()
  const hide = (user: User | undefined): StoredTestUser<User> | null => {
    if (!user) return null
    const { password: _password, ...stored }: User & { password?: unknown } = user
    return structuredClone(stored)
  }
  const byId = (id: string) => [...users.values()].find((user) => user.id === id)
  const directory: TestUserDirectory<User> = {
    users,
    findByEmail: (email) => Promise.resolve(typeof email === 'string' ? hide(users.get(normalise(email))) : null),
    findById: (id) => Promise.resolve(hide(byId(id))),
    updatePasswordHash(id, passwordHash) {
      const user = byId(id)
      if (user) user.passwordHash = passwordHash
      return Promise.resolve()
    },
    add(...added) {
      for (const user of added) users.set(normalise(user.email), user)
    },
  }
  directory.add(...initial)
  return Object.freeze(directory)
}
