import type { DirectoryUser } from '../core/user-directory.js'

/** The user as the contract shows it to its owner: never the hash, never anything else. */
export function publicUser(user: DirectoryUser, roles: readonly string[] = user.roles) {
  return { id: user.id, email: user.email, name: user.name, roles: [...roles] }
}

/** Lower-cased, NFKC, trimmed: one spelling per address. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase()
}
