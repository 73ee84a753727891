/**
 * One interface for every password hashing scheme, so the server can take any hasher: argon2id and
 * scrypt ship in `@acme/auth-core/argon2` (Node only); an app may bring its own.
 *
 * Implementations normalise the password to NFKC before hashing and verifying (see
 * {@link normalizePassword}), write self-describing PHC strings, and never throw on a malformed
 * stored hash: `verify` answers `false` and `needsRehash` answers `true`.
 *
 * @example
 * ```ts
 * import { createPasswordHasher } from '@acme/auth-core/argon2'
 *
 * const hasher: PasswordHasher = createPasswordHasher()
 * const stored = await hasher.hash('correct horse battery staple')
 * await hasher.verify(stored, 'correct horse battery staple') // true
 * hasher.needsRehash(stored) // false until the parameters or the algorithm change
 * ```
 */
export interface PasswordHasher {
  /** The PHC identifier of the hashes this hasher writes, e.g. `'argon2id'` or `'scrypt'`. */
  readonly algorithm: string
  /** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with a fresh random salt. */
  hash(password: string): Promise<string>
  /** Whether `password` matches `hash`; `false` for a hash this hasher cannot read. */
  verify(hash: string, password: string): Promise<boolean>
  /** True when `hash` was made with another algorithm or other parameters than this hasher's. */
  needsRehash(hash: string): boolean
}

/**
 * The longest password accepted anywhere (after NFKC): a DoS guard, since hashing cost grows with
 * input length for some schemes and a megabyte "password" is never legitimate.
 * @default 256
 */
export const MAX_PASSWORD_LENGTH = 256

/**
 * NFKC normalisation, so that the same password typed on two keyboards (composed `é` vs `e` +
 * combining accent, full-width digits) hashes the same. NIST SP 800-63B §5.1.1.2 recommends it.
 *
 * @example
 * ```ts
 * normalizePassword('\u0065\u0301') === normalizePassword('\u00e9') // true
 * ```
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

/** Length in Unicode code points (what a user calls characters), not UTF-16 units. */
export function passwordLength(password: string): number {
  let count = 0
  for (const _ of password) count++
  return count
}
