import { AuthError } from '../errors.js'
import { optionalNumber, requireObject } from '../lib/options.js'
import { isPasswordBreached, type BreachedPasswordSource } from './breached-passwords.js'
import { MAX_PASSWORD_LENGTH, normalizePassword, passwordLength } from './password-hasher.js'

/** Why a new password was refused. */
export type PasswordPolicyViolation = 'too_short' | 'too_long' | 'breached'

/** The outcome of {@link PasswordPolicy.check}: the NFKC-normalised password, or the violations. */
export type PasswordPolicyResult =
  | { ok: true; password: string }
  | { ok: false; violations: readonly PasswordPolicyViolation[] }

/** Options of {@link createPasswordPolicy}. */
export interface PasswordPolicyOptions {
  /** Fewest characters (code points, after NFKC). @default 8 */
  minLength?: number
  /** Most characters, a DoS guard. @default 256 */
  maxLength?: number
  /** A breached-password source, or `null` for none. @default null */
  breached?: BreachedPasswordSource | null
}

/** Rules for new passwords (sign-up, change, reset). Never applied to sign-in. */
export interface PasswordPolicy {
  readonly minLength: number
  readonly maxLength: number
  /** Checks a candidate; never throws for a bad password (only when the breached source fails). */
  check(password: unknown): Promise<PasswordPolicyResult>
  /** Like `check`, but returns the normalised password or throws `ERR_PASSWORD_POLICY`. */
  assert(password: unknown): Promise<string>
}

/**
 * Password rules after NIST SP 800-63B: a minimum length, a maximum as a DoS guard, NFKC
 * normalisation, a breached-password check, and no composition rules (they push users to
 * `Password1!`).
 *
 * @default { minLength: 8, maxLength: 256, breached: null }
 * @example
 * ```ts
 * import { createOfflineBreachedPasswords, createPasswordPolicy } from '@acme/auth-core'
 *
 * const policy = createPasswordPolicy({ minLength: 10, breached: createOfflineBreachedPasswords() })
 * const result = await policy.check('password123')
 * if (!result.ok) console.log(result.violations) // ['breached']
 * ```
 */
export function createPasswordPolicy(options: PasswordPolicyOptions = {}): PasswordPolicy {
  const input = requireObject(options, 'options')
  const minLength = optionalNumber(input.minLength, 'options.minLength', 8, { min: 1, max: MAX_PASSWORD_LENGTH, integer: true })
  const maxLength = optionalNumber(input.maxLength, 'options.maxLength', MAX_PASSWORD_LENGTH, {
    min: minLength,
    max: 1024,
    integer: true,
  })
  const breached = (input.breached ?? null) as BreachedPasswordSource | null
  if (breached !== null && typeof breached.range !== 'function') {
    throw new TypeError('options.breached.range must be a function')
  }

  const check = async (password: unknown): Promise<PasswordPolicyResult> => {
    if (typeof password !== 'string') return { ok: false, violations: ['too_short'] }
    // Measure the raw input first so that normalising a huge string is never the DoS.
    if (password.length > maxLength * 4) return { ok: false, violations: ['too_long'] }
    const normalized = normalizePassword(password)
    const length = passwordLength(normalized)
    const violations: PasswordPolicyViolation[] = []
    if (length < minLength) violations.push('too_short')
    if (length > maxLength) violations.push('too_long')
    if (violations.length === 0 && breached !== null && (await isPasswordBreached(normalized, breached))) {
      violations.push('breached')
    }
    return violations.length === 0 ? { ok: true, password: normalized } : { ok: false, violations }
  }

  return Object.freeze({
    minLength,
    maxLength,
    check,
    async assert(password: unknown) {
      const result = await check(password)
      if (result.ok) return result.password
      throw new AuthError('ERR_PASSWORD_POLICY', `Password refused: ${result.violations.join(', ')}`, {
        cause: { violations: result.violations },
      })
    },
  })
}
