'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { SessionUser } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { verifyMfa, type MfaCodeInput } from './lib/mfa-actions.js'

export type { MfaCodeInput }

/**
 * Completes a pending sign-in with a TOTP code or a recovery code (`POST /auth/mfa/verify`): the
 * server starts the session, the hook reads it into the cache (with its CSRF token), clears
 * {@link useMfaChallenge} and tells the other tabs. A wrong code rejects with 401
 * (`error.data.type` ends in `/mfa-invalid-code`; try again), too many with 429, a pending
 * sign-in that expired with 401 `…/mfa-expired` (sign in again).
 *
 * @example
 * ```tsx
 * const verify = useVerifyMfa()
 * verify.mutate({ method: 'totp', code })
 * {verify.error?.status === 401 && <p>That code is not right.</p>}
 * ```
 */
export function useVerifyMfa(): UseMutationResult<SessionUser, AuthFetchError, MfaCodeInput> {
  const runtime = useAuthRuntime('useVerifyMfa')
  return useMutation<SessionUser, AuthFetchError, MfaCodeInput>({ mutationFn: (input) => verifyMfa(runtime, input) }, runtime.queryClient)
}
