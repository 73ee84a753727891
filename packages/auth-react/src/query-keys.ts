/**
 * The react-query keys this package uses, exported so apps can invalidate or prefetch them.
 * Every key sits under one root, so `authQueryKeys.all()` reaches them all.
 *
 * - `session()`: the body of `GET /auth/session` (who am I, plus this session's CSRF token).
 * - `sessions()`: the device list of `GET /auth/sessions`.
 * - `csrf()`: a CSRF token from `GET /auth/csrf`, kept in memory for requests made while signed out.
 * - `accounts()`: the linked sign-in methods of `GET /auth/accounts`.
 * - `mfaChallenge()`: the second factor a sign-in waits for (`{ methods }`, or `null`), kept in memory only.
 * - `factors()`: the signed-in user's factors of `GET /auth/mfa`.
 * - `passkeys()`: the passkeys of `GET /auth/passkeys`.
 * - `trustedDevices()`: the remembered devices of `GET /auth/mfa/devices`.
 *
 * @example
 * ```ts
 * await queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
 * ```
 */
export const authQueryKeys = {
  all: () => ['acme-auth'] as const,
  session: () => ['acme-auth', 'session'] as const,
  sessions: () => ['acme-auth', 'sessions'] as const,
  csrf: () => ['acme-auth', 'csrf'] as const,
  accounts: () => ['acme-auth', 'accounts'] as const,
  mfaChallenge: () => ['acme-auth', 'mfa-challenge'] as const,
  factors: () => ['acme-auth', 'factors'] as const,
  passkeys: () => ['acme-auth', 'passkeys'] as const,
  trustedDevices: () => ['acme-auth', 'trusted-devices'] as const,
}
