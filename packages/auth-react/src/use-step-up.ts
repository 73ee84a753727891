'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { SessionUser } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { stepUp, type MfaCodeInput } from './lib/mfa-actions.js'

/**
 * Raises the current session to `authLevel: 'mfa'` with a TOTP or recovery code
 * (`POST /auth/mfa/step-up`), for a server route guarded by `requireAuthLevel('mfa')` that
 * answered 401 `…/mfa-required`: prompt for the code, step up, retry the request. The session's
 * token rotates: the hook reads the session (and its CSRF token) again.
 *
 * @example
 * ```tsx
 * const stepUp = useStepUp()
 * await stepUp.mutateAsync({ method: 'totp', code })
 * await retry()
 * ```
 */
export function useStepUp(): UseMutationResult<SessionUser, AuthFetchError, MfaCodeInput> {
  const runtime = useAuthRuntime('useStepUp')
  return useMutation<SessionUser, AuthFetchError, MfaCodeInput>({ mutationFn: (input) => stepUp(runtime, input) }, runtime.queryClient)
}
