import type { Clock } from '@acme/auth-core'
import { Secret, TOTP } from 'otpauth'

/**
 * The TOTP code an authenticator app would show now (RFC 6238: SHA-1, 6 digits, 30 s) for a Base32
 * secret (`enrollment.secret`) or an `otpauth://` URL, at the clock's time. `offsetSteps` moves by
 * whole 30-second steps (`-1`: the previous code, for skew tests).
 *
 * @example
 * ```ts
 * import { createTestClock, createTotpCode } from '@acme/auth-testing'
 *
 * const clock = createTestClock()
 * const enrollment = await totp.enroll('user-1', 'alice@example.com')
 * await totp.confirm('user-1', createTotpCode(enrollment.secret, clock)) // { ok: true }
 * ```
 */
export function createTotpCode(secret: string, clock: Clock, offsetSteps = 0): string {
  if (typeof secret !== 'string' || secret === '') throw new TypeError('secret must be a Base32 secret or an otpauth:// URL')
  if (!Number.isInteger(offsetSteps)) throw new TypeError('offsetSteps must be an integer')
  const base32 = secret.startsWith('otpauth://') ? new URL(secret).searchParams.get('secret') ?? '' : secret
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32) })
  return totp.generate({ timestamp: clock.now() + offsetSteps * 30_000 })
}
