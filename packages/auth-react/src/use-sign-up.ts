'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { signUp, type SignUpInput, type SignUpResult } from './lib/account-actions.js'
import { useAuthRuntime } from './lib/auth-context.js'

export type { SignUpInput, SignUpResult }

/**
 * Creates an account (`POST /auth/signup`). With verification required (the server's default) it
 * resolves with `{ status: 'verification_sent' }` for a new address and a taken one alike (the
 * server mails either a link or an "already registered" notice, and tells nobody which); without
 * it, with `{ status: 'signed_in', user }` and the new session in the cache. A password the
 * policy refuses rejects with 400 and `error.data.violations` (`too_short`, `too_long`, `breached`);
 * a taken address without verification with 409; too many attempts with 429.
 *
 * @example
 * ```tsx
 * const signUp = useSignUp()
 * signUp.mutate({ email, password, name }, { onSuccess: (result) => result.status === 'verification_sent' && showCheckYourMail() })
 * {signUp.error?.data?.violations?.includes('breached') && <p>That password appeared in a data breach.</p>}
 * ```
 */
export function useSignUp(): UseMutationResult<SignUpResult, AuthFetchError, SignUpInput> {
  const runtime = useAuthRuntime('useSignUp')
  return useMutation<SignUpResult, AuthFetchError, SignUpInput>({ mutationFn: (input) => signUp(runtime, input) }, runtime.queryClient)
}
