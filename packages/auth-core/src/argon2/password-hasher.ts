import type { PasswordHasher } from '../passwords/password-hasher.js'
import { parsePhc } from '../passwords/phc.js'
import { createArgon2idHasher, type Argon2idParams } from './argon2id-hasher.js'
import { createScryptHasher, type ScryptParams } from './scrypt-hasher.js'

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  /** The algorithm new hashes use. @default 'argon2id' */
  algorithm?: 'argon2id' | 'scrypt'
  /** @default OWASP: { memoryCost: 19456, timeCost: 2, parallelism: 1 } */
  argon2id?: Argon2idParams
  /** @default OWASP: { logN: 17, r: 8, p: 1 } */
  scrypt?: ScryptParams
}

/**
 * The password hasher to use: hashes with one algorithm, verifies hashes of both (read from the
 * PHC prefix), and reports `needsRehash` when a hash used the other algorithm or other
 * parameters, so switching algorithm or raising costs migrates users as they sign in.
 *
 * @default { algorithm: 'argon2id' } with OWASP parameters
 * @example
 * ```ts
 * import { createPasswordHasher } from '@acme/auth-core/argon2'
 *
 * const hasher = createPasswordHasher() // argon2id, m = 19 MiB, t = 2, p = 1
 * const legacyFriendly = createPasswordHasher({ algorithm: 'argon2id', scrypt: { logN: 15 } })
 * ```
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object')
  const algorithm = options.algorithm ?? 'argon2id'
  if (algorithm !== 'argon2id' && algorithm !== 'scrypt') throw new TypeError("options.algorithm must be 'argon2id' or 'scrypt'")
  const hashers: Record<'argon2id' | 'scrypt', PasswordHasher> = {
    argon2id: createArgon2idHasher(options.argon2id),
    scrypt: createScryptHasher(options.scrypt),
  }
  const primary = hashers[algorithm]
  const readerOf = (hash: string): PasswordHasher | undefined => {
    const id = parsePhc(hash)?.id
    return id === 'argon2id' || id === 'scrypt' ? hashers[id] : undefined
  }
  return Object.freeze({
    algorithm,
    hash: (password: string) => primary.hash(password),
    verify: async (hash: string, password: string) => (await readerOf(hash)?.verify(hash, password)) ?? false,
    needsRehash: (hash: string) => readerOf(hash) !== primary || primary.needsRehash(hash),
  })
}
