/**
 * The react-query keys this package uses, exported so apps can invalidate or prefetch them.
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
}
