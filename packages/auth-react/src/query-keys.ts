/**
 * The react-query keys this package uses, exported so apps can invalidate or prefetch them.
 * Every key sits under one root, so `authQueryKeys.all()` reaches them all.
 *
 * - `session()`: the body of `GET /auth/session` (who am I, plus this session's CSRF token).
 * - `sessions()`: the device list of `GET /auth/sessions`.
 * - `csrf()`: a CSRF token from `GET /auth/csrf`, kept in memory for requests made while signed out.
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
}
