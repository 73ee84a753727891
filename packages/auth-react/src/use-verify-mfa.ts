'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { SessionUser } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { verifyMfa, type MfaCodeInput, type MfaVerifyInput } from './lib/mfa-actions.js'

export type { MfaCodeInput, MfaVerifyInput }

/**
 * Completes a pending sign-in with a TOTP code or a recovery code (`POST /auth/mfa/verify`): the
 * server starts the session, the hook reads it into the cache (with its CSRF token), clears
 * {@link useMfaChallenge} and tells the other tabs. A wrong code rejects with 401
 * (`error.data.type` ends in `/mfa-invalid-code`; try again), too many with 429, a pending
 * sign-in that expired with 401 `…/mfa-expired` (sign in again). `rememberDevice: true` asks the
 * server to skip the challenge on this browser next time (`secondFactors.rememberDevice`; ignored
 * when the server does not remember devices); {@link useTrustedDevices} lists and forgets them.
 *
 * @example
 * ```tsx
 * const verify = useVerifyMfa()
 * verify.mutate({ method: 'totp', code, rememberDevice })
 * {verify.error?.status === 401 && <p>That code is not right.</p>}
 * ```
 */
export function useVerifyMfa(): UseMutationResult<SessionUser, AuthFetchError, MfaVerifyInput> {
  const runtime = useAuthRuntime('useVerifyMfa')
  return useMutation<SessionUser, AuthFetchError, MfaVerifyInput>({ mutationFn: (input) => verifyMfa(runtime, input) }, runtime.queryClient)
}
