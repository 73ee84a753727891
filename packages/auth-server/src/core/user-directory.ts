/** A user as the app's directory returns it. */
export interface DirectoryUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  /** PHC string of the password hash; `null` for users who only sign in with a provider. */
  passwordHash?: string | null
  /**
   * Whether the address is verified. `false` keeps the user from signing in with a password while
   * `accounts.verification` is `'required'`; leave it out when your directory does not track it.
   */
  emailVerified?: boolean
  /** When the password was last set (epoch ms, ISO string or Date), for `GET /auth/accounts`. */
  passwordSetAt?: number | string | Date | null
}

/** What `POST /auth/signup` asks the directory to create. */
export interface NewDirectoryUser {
  /** Lower-cased, NFKC-normalised. */
  email: string
  name: string
  /** PHC string, already hashed by `createAuth`'s `passwords`. */
  passwordHash: string
  /** `false` while verification is required, `true` when it is off. */
  emailVerified: boolean
}

/** One way to sign in to an account: `password`, or a provider's route name (`github`). */
export interface LinkedAccount {
  provider: string
  /** When it was linked (epoch ms, ISO string or Date). */
  linkedAt: number | string | Date
}

/**
 * The app's users, as auth needs them. Emails are passed lower-cased and NFKC-normalised.
 *
 * Only `findByEmail` and `findById` are required. Each optional method turns on the account
 * routes that need it; a route whose method is missing answers 404, like an unknown route:
 * | method | routes |
 * |---|---|
 * | `create` | `POST /signup` |
 * | `markEmailVerified` | `POST /email/verification`, `POST /email/verify` |
 * | `setPasswordHash` | `POST /password/forgot`, `POST /password/reset`, `POST /password` |
 * | `listAccounts` | `GET /accounts`; with `unlinkAccount`: `DELETE /accounts/:provider` |
 * | `delete` | `DELETE /account` |
 * | `changeEmail` | `POST /email/change` (with a mailer) |
 *
 * @example
 * ```ts
 * const users: UserDirectory = {
 *   findByEmail: async (email) => db.users.findOne({ email }),
 *   findById: async (id) => db.users.findOne({ id }),
 *   updatePasswordHash: async (id, hash) => db.users.update({ id }, { passwordHash: hash }),
 *   create: async (user) => db.users.insert({ ...user, roles: ['member'] }), // null when the address is taken
 *   setPasswordHash: async (id, hash) => db.users.update({ id }, { passwordHash: hash, passwordSetAt: new Date() }),
 * }
 * ```
 */
export interface UserDirectory {
  findByEmail(email: string): Promise<DirectoryUser | null>
  findById(id: string): Promise<DirectoryUser | null>
  /** Called after a sign-in whose hash used old parameters: the new hash, same password. */
  updatePasswordHash?(id: string, passwordHash: string): Promise<void>
  /** Creates a user; `null` when the address is already taken (a race the route must not lose). */
  create?(user: NewDirectoryUser): Promise<DirectoryUser | null>
  /** Marks `email` as verified for the user, when it is still the user's address. */
  markEmailVerified?(id: string, email: string): Promise<void>
  /** The password changed (reset, change) or was removed (`null`: unlinking `password`). */
  setPasswordHash?(id: string, passwordHash: string | null): Promise<void>
  /** The user's providers (not `password`: the route adds it when the user has a password hash). */
  listAccounts?(id: string): Promise<readonly LinkedAccount[]>
  /** Unlinks one provider; `false` when it was not linked. */
  unlinkAccount?(id: string, provider: string): Promise<boolean>
  /** Deletes the user and what the app keeps of them (external-account links included). */
  delete?(id: string): Promise<void>
  /**
   * Moves the user to `newEmail`, now verified (its owner just confirmed it): `false` when another
   * account has the address meanwhile (a race the route must not lose: check and write atomically).
   */
  changeEmail?(id: string, newEmail: string): Promise<boolean>
}
