import type { CompletedFactor } from './second-factor-store.js'

/**
 * Authentication method references (RFC 8176 §2): `pwd` password, `otp` one-time code (TOTP, a
 * recovery code, an emailed link), `hwk` proof of a hardware-bound key (a passkey), `user` a user
 * presence or verification gesture, `mfa` more than one factor. `fed` (a federated sign-in: OAuth
 * or OIDC) is not in the IANA registry; it is the value major providers use for it.
 */
export type AuthMethodReference = 'pwd' | 'otp' | 'hwk' | 'swk' | 'user' | 'pin' | 'fpt' | 'mfa' | 'fed' | (string & {})

/** How the user proved the first factor: every sign-in path names one of these to the gate. */
export type FirstFactor =
  | { method: 'password' }
  | { method: 'oauth'; provider: string }
  | { method: 'email_link' }
  | { method: 'passkey'; userVerified: boolean }

/** The session's `authLevel` and `amr` for a first factor alone. */
export function firstFactorLevel(factor: FirstFactor): { authLevel: string; amr: AuthMethodReference[] } {
  switch (factor.method) {
    case 'password':
      return { authLevel: 'password', amr: ['pwd'] }
    case 'oauth':
      return { authLevel: `oauth:${factor.provider}`, amr: ['fed'] }
    case 'email_link':
      return { authLevel: 'email', amr: ['otp'] }
    case 'passkey':
      // With user verification (PIN, biometrics) a passkey is two factors at once: possession and
      // inherence or knowledge (WebAuthn §6.2.3, "multi-factor capable").
      return factor.userVerified ? { authLevel: 'mfa', amr: ['hwk', 'user', 'mfa'] } : { authLevel: 'passkey', amr: ['hwk'] }
  }
}

/** The RFC 8176 value a second factor adds. */
export const secondFactorAmr = { totp: 'otp', recovery: 'otp', passkey: 'hwk' } as const satisfies Record<string, AuthMethodReference>

/** `amr` for a list of completed factors: each method once, plus `mfa` when there are two or more. */
export function amrOf(factors: readonly CompletedFactor[]): AuthMethodReference[] {
  const methods = new Set<AuthMethodReference>(factors.map((factor) => factor.method))
  if (factors.length >= 2) methods.add('mfa')
  return [...methods]
}
