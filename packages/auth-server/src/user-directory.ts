/** A user as the app's directory returns it. */
export interface DirectoryUser {
  id: string
  email: string
  name: string
  roles: readonly string[]
  /** PHC string of the password hash; `null` for users who only sign in with a provider. */
  passwordHash?: string | null
}

/**
 * The app's users, as auth needs them. Emails are passed lower-cased and NFKC-normalised.
 *
 * @example
 * ```ts
 * const users: UserDirectory = {
 *   findByEmail: async (email) => db.users.findOne({ email }),
 *   findById: async (id) => db.users.findOne({ id }),
 *   updatePasswordHash: async (id, hash) => db.users.update({ id }, { passwordHash: hash }),
 * }
 * ```
 */
export interface UserDirectory {
  findByEmail(email: string): Promise<DirectoryUser | null>
  findById(id: string): Promise<DirectoryUser | null>
  /** Called after a sign-in whose hash used old parameters: the new hash, same password. */
  updatePasswordHash?(id: string, passwordHash: string): Promise<void>
}
