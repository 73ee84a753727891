import { randomToken } from '../lib/crypto.js'
import { requireMethods, requireObject } from '../lib/options.js'
import { MAX_PASSWORD_LENGTH, type PasswordHasher } from './password-hasher.js'

/** What the verifier needs to know about a user: their id and stored hash (`null`: no password set). */
export interface PasswordAccount {
  id: string
  passwordHash: string | null
}

/**
 * The outcome of {@link PasswordVerifier.verify}. On success, `newHash` is set when the stored hash
 * used old parameters or another algorithm: store it, and the user is upgraded without noticing.
 */
export type PasswordVerification =
  | { valid: true; userId: string; newHash: string | null }
  | { valid: false; reason: 'unknown_user' | 'bad_password' }

/** Checks a sign-in password in the same time whether or not the user exists. */
export interface PasswordVerifier {
  /** Verifies `password` against `account`, or against a dummy hash when `account` is `null`. */
  verify(account: PasswordAccount | null | undefined, password: unknown): Promise<PasswordVerification>
  /** Computes the dummy hash now (call at start-up) instead of on the first unknown-user sign-in. */
  prepare(): Promise<void>
}

/**
 * Wraps a {@link PasswordHasher} for the sign-in path. An unknown user (or one without a password)
 * is verified against a dummy hash made by the same hasher with the same parameters, so the answer
 * takes as long as a wrong password and response times do not reveal which emails have accounts.
 * A valid password whose hash `needsRehash` is rehashed on the spot (the plaintext is only in hand
 * now) and returned as `newHash` for the caller to store.
 *
 * @default maxLength 256 (longer inputs are refused without hashing; a DoS guard)
 * @example
 * ```ts
 * import { createPasswordVerifier } from '@acme/auth-core'
 * import { createPasswordHasher } from '@acme/auth-core/argon2'
 *
 * const verifier = createPasswordVerifier({ hasher: createPasswordHasher() })
 * await verifier.prepare()
 * const user = await db.findUserByEmail(email) // { id, passwordHash } | null
 * const result = await verifier.verify(user, password)
 * if (result.valid && result.newHash) await db.setPasswordHash(result.userId, result.newHash)
 * ```
 */
export function createPasswordVerifier(options: { hasher: PasswordHasher; maxLength?: number }): PasswordVerifier {
  const input = requireObject(options, 'options')
  const hasher = requireMethods<PasswordHasher>(input.hasher, 'options.hasher', ['hash', 'verify', 'needsRehash'])
  const maxLength = input.maxLength ?? MAX_PASSWORD_LENGTH
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1 || maxLength > 4096) {
    throw new TypeError('options.maxLength must be an integer between 1 and 4096')
  }
  let dummy: Promise<string> | undefined
  const dummyHash = () => {
    dummy ??= hasher.hash(randomToken(32)).catch((error: unknown) => {
      dummy = undefined
      throw error
    })
    return dummy
  }

  return Object.freeze({
    async prepare() {
      await dummyHash()
    },
    async verify(account: PasswordAccount | null | undefined, password: unknown): Promise<PasswordVerification> {
      const known = account !== null && account !== undefined
      const stored = known && typeof account.passwordHash === 'string' ? account : null
      // Oversized or non-string input is refused on both paths without hashing, so the shortcut
      // itself says nothing about whether the user exists.
      if (typeof password !== 'string' || password.length > maxLength * 4 || password === '') {
        return { valid: false, reason: known ? 'bad_password' : 'unknown_user' }
      }
      if (stored === null) {
        await hasher.verify(await dummyHash(), password)
        return { valid: false, reason: known ? 'bad_password' : 'unknown_user' }
      }
      const hash = stored.passwordHash!
      if (!(await hasher.verify(hash, password))) return { valid: false, reason: 'bad_password' }
      const newHash = hasher.needsRehash(hash) ? await hasher.hash(password) : null
      return { valid: true, userId: stored.id, newHash }
    },
  })
}
