import type { PasswordHasher } from '@acme/auth-core'
import { trackSecrets } from '../recording-audit-sink.js'

/**
 * A user as an app's directory holds one: the shape `@acme/auth-server` takes as `DirectoryUser`
 * (declared here, structurally, so the testing kit does not depend on the server).
 */
export interface TestDirectoryUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  /** PHC string of the password hash; `null` for users who only sign in with a provider. */
  passwordHash?: string | null
}

/** A directory user plus the plaintext password its hash was made from, for sign-in tests. */
export interface TestUser extends TestDirectoryUser {
  roles: string[]
  passwordHash: string
  /** The plaintext password. Declared with `trackSecrets()`, so an audit event that holds it fails the run's secret check. */
  password: string
}

/** What {@link createTestUser} may be told; everything has a default. */
export type TestUserOverrides = Partial<Omit<TestUser, 'passwordHash' | 'roles'>> & { roles?: readonly string[] }

/** Options of {@link createTestUser} and {@link createTestUsers}. */
export interface TestUserOptions {
  /**
   * Hashes the password. Pass the app's hasher when the test checks rehashing.
   * @default core's scrypt hasher at logN 10 (fast; hash cost is core's own test)
   */
  hasher?: PasswordHasher
}

let counter = 0
let defaultHasher: Promise<PasswordHasher> | undefined

// Loaded on first use: the `argon2` entry is Node-only and most users of the kit never hash.
const fastScrypt = () =>
  (defaultHasher ??= import('@acme/auth-core/argon2').then(({ createScryptHasher }) => createScryptHasher({ logN: 10 })))

/**
 * A user with a unique id and email, role `member`, and a password hashed for real, so a sign-in
 * with `user.email` and `user.password` succeeds against any directory holding the user.
 *
 * @example
 * ```ts
 * import { createTestUser } from '@acme/auth-testing'
 *
 * const admin = await createTestUser({ name: 'Ada', roles: ['admin'] })
 * // { id: 'user-1-…', email: 'user-1-…@example.test', name: 'Ada', roles: ['admin'], passwordHash: '$scrypt$…', password: 'test-password-…' }
 * ```
 */
export async function createTestUser(overrides: TestUserOverrides = {}, options: TestUserOptions = {}): Promise<TestUser> {
  const n = ++counter
  const tag = `${n}-${crypto.randomUUID().slice(0, 8)}`
  const password = overrides.password ?? `test-password-${tag}`
  trackSecrets(password)
  const hasher = options.hasher ?? (await fastScrypt())
  return {
    id: overrides.id ?? `user-${tag}`,
    email: overrides.email ?? `user-${tag}@example.test`,
    name: overrides.name ?? `Test User ${n}`,
    roles: [...(overrides.roles ?? ['member'])],
    passwordHash: await hasher.hash(password),
    password,
  }
}

/** The usual cast of our tests, see {@link createTestUsers}. */
export interface TestUserCast {
  /** `u-alice`, alice@example.com, admin, password `alice-password`. */
  alice: TestUser
  /** `u-bob`, bob@example.com, member, password `bob-password`. */
  bob: TestUser
}

/**
 * Alice (an admin) and Bob (a member), with fixed ids, emails and passwords, so tests read
 * `alice.password` rather than inventing one each.
 *
 * @example
 * ```ts
 * import { createTestUserDirectory, createTestUsers } from '@acme/auth-testing'
 *
 * const { alice, bob } = await createTestUsers()
 * const users = createTestUserDirectory([alice, bob]) // createAuth({ users, … })
 * ```
 */
export async function createTestUsers(options: TestUserOptions = {}): Promise<TestUserCast> {
  const [alice, bob] = await Promise.all([
    createTestUser({ id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'], password: 'alice-password' }, options),
    createTestUser({ id: 'u-bob', email: 'bob@example.com', name: 'Bob', roles: ['member'], password: 'bob-password' }, options),
  ])
  return { alice, bob }
}
