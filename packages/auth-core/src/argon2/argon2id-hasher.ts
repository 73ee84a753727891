import type * as NodeArgon2 from '@node-rs/argon2'
import type { Algorithm, Version } from '@node-rs/argon2'
import { normalizePassword, type PasswordHasher } from '../passwords/password-hasher.js'
import { parsePhc } from '../passwords/phc.js'
import { optionalNumber, requireObject } from '../lib/options.js'

/** argon2id cost parameters. */
export interface Argon2idParams {
  /** Memory in KiB. @default 19456 (19 MiB, OWASP) */
  memoryCost?: number
  /** Passes. @default 2 (OWASP) */
  timeCost?: number
  /** Lanes. @default 1 (OWASP) */
  parallelism?: number
}

// Values of @node-rs/argon2's const enums (a const enum cannot be read under isolatedModules).
const ARGON2ID = 2 as Algorithm
const V0x13 = 1 as Version

/**
 * An argon2id {@link PasswordHasher} on `@node-rs/argon2` (native, off the main thread), with
 * OWASP's parameters by default: m = 19 MiB, t = 2, p = 1. Hashes are PHC strings
 * (`$argon2id$v=19$m=19456,t=2,p=1$…`) that record the parameters, so raising them later makes
 * `needsRehash` true for older hashes.
 *
 * @default { memoryCost: 19456, timeCost: 2, parallelism: 1 }
 * @example
 * ```ts
 * import { createArgon2idHasher } from '@acme/auth-core/argon2'
 *
 * const hasher = createArgon2idHasher()
 * const stored = await hasher.hash('correct horse battery staple')
 * ```
 */
// Loaded on first use, so that apps hashing with scrypt from this entry need not install the
// optional peer @node-rs/argon2 at all.
let native: Promise<typeof NodeArgon2> | undefined
const argon2 = () => (native ??= import('@node-rs/argon2'))

export function createArgon2idHasher(params: Argon2idParams = {}): PasswordHasher {
  const input = requireObject(params, 'params')
  const memoryCost = optionalNumber(input.memoryCost, 'params.memoryCost', 19_456, { min: 8, max: 4_194_304, integer: true })
  const timeCost = optionalNumber(input.timeCost, 'params.timeCost', 2, { min: 1, max: 100, integer: true })
  const parallelism = optionalNumber(input.parallelism, 'params.parallelism', 1, { min: 1, max: 255, integer: true })
  const options = { algorithm: ARGON2ID, version: V0x13, memoryCost, timeCost, parallelism }

  return Object.freeze({
    algorithm: 'argon2id',
    hash: async (password: string) => (await argon2()).hash(normalizePassword(password), options),
    async verify(hash: string, password: string) {
      if (parsePhc(hash)?.id !== 'argon2id') return false
      try {
        return await (await argon2()).verify(hash, normalizePassword(password))
      } catch {
        return false
      }
    },
    needsRehash(hash: string) {
      const phc = parsePhc(hash)
      if (phc?.id !== 'argon2id' || phc.version !== 0x13) return true
      const { m, t, p } = phc.params
      return Number(m) !== memoryCost || Number(t) !== timeCost || Number(p) !== parallelism
    },
  })
}
