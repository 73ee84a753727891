import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { normalizePassword, type PasswordHasher } from '../passwords/password-hasher.js'
import { formatPhc, parsePhc } from '../passwords/phc.js'
import { optionalNumber, requireObject } from '../lib/options.js'

/** scrypt cost parameters (N = 2^logN). */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. @default 17 (N = 131072, 128 MiB, OWASP) */
  logN?: number
  /** Block size. @default 8 */
  r?: number
  /** Parallelism. @default 1 */
  p?: number
}

const SALT_BYTES = 16
const KEY_BYTES = 32

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const N = 2 ** logN
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r, or node refuses the parameters OWASP recommends.
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '')

/**
 * A scrypt {@link PasswordHasher} on `node:crypto` (no native add-on), for platforms where
 * `@node-rs/argon2` is not available. OWASP's parameters by default (N = 2^17, r = 8, p = 1).
 * Hashes are PHC strings: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64 without padding).
 *
 * @default { logN: 17, r: 8, p: 1 }
 * @example
 * ```ts
 * import { createScryptHasher } from '@acme/auth-core/argon2'
 *
 * const hasher = createScryptHasher()
 * const stored = await hasher.hash('correct horse battery staple') // $scrypt$ln=17,r=8,p=1$…
 * ```
 */
export function createScryptHasher(params: ScryptParams = {}): PasswordHasher {
  const input = requireObject(params, 'params')
  const logN = optionalNumber(input.logN, 'params.logN', 17, { min: 10, max: 22, integer: true })
  const r = optionalNumber(input.r, 'params.r', 8, { min: 1, max: 32, integer: true })
  const p = optionalNumber(input.p, 'params.p', 1, { min: 1, max: 16, integer: true })

  return Object.freeze({
    algorithm: 'scrypt',
    async hash(password: string) {
      const salt = randomBytes(SALT_BYTES)
      const key = await derive(normalizePassword(password), salt, logN, r, p, KEY_BYTES)
      return formatPhc({ id: 'scrypt', params: { ln: String(logN), r: String(r), p: String(p) }, salt: b64(salt), hash: b64(key) })
    },
    async verify(hash: string, password: string) {
      const parsed = parseScrypt(hash)
      if (parsed === null) return false
      try {
        const key = await derive(normalizePassword(password), parsed.salt, parsed.logN, parsed.r, parsed.p, parsed.key.length)
        return timingSafeEqual(key, parsed.key)
      } catch {
        return false
      }
    },
    needsRehash(hash: string) {
      const parsed = parseScrypt(hash)
      return parsed === null || parsed.logN !== logN || parsed.r !== r || parsed.p !== p || parsed.key.length !== KEY_BYTES
    },
  })
}

function parseScrypt(hash: string) {
  const phc = parsePhc(hash)
  if (phc?.id !== 'scrypt') return null
  const logN = Number(phc.params.ln)
  const r = Number(phc.params.r)
  const p = Number(phc.params.p)
  // Bounds on stored parameters too: a tampered hash must not make verify allocate gigabytes.
  if (!Number.isInteger(logN) || logN < 1 || logN > 22 || !Number.isInteger(r) || r < 1 || r > 32) return null
  if (!Number.isInteger(p) || p < 1 || p > 16) return null
  const salt = Buffer.from(phc.salt, 'base64')
  const key = Buffer.from(phc.hash, 'base64')
  if (salt.length < 8 || key.length < 16 || key.length > 64) return null
  return { logN, r, p, salt, key }
}
