import type { SessionInfo, SessionPayload, SessionUser } from '@acme/auth-react'

/**
 * A signed-in `GET /auth/session` body for tests, with defaults for everything not given.
 * The default expiry is fixed far in the future, so no test depends on today's date.
 *
 * @example
 * ```tsx
 * <MockAuthProvider session={createMockSession({ name: 'Alice', roles: ['admin'] })}>
 *   <AdminMenu />
 * </MockAuthProvider>
 * ```
 */
export function createMockSession(user: Partial<SessionUser> = {}, session: Partial<SessionInfo> = {}): SessionPayload {
  return {
    user: { id: 'u-test', email: 'test@example.com', name: 'Test User', roles: [], ...user },
    session: { id: 'mock-session-id-0000', expiresAt: '2100-01-01T00:00:00.000Z', ...session },
    csrfToken: 'mock-csrf-token',
  }
}
