'use client'
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import type { SessionUser } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { browserWebAuthn, signInWithPasskey } from './lib/passkey-actions.js'
import type { PasskeyHookOptions } from './use-passkeys.js'

/**
 * Signs in with a passkey, no email needed (a discoverable credential): options from the server,
 * `navigator.credentials.get()`, the assertion back; a new session in the cache and the other tabs
 * told. With a sign-in already pending a second factor (`passkey` among
 * {@link useMfaChallenge}'s methods) it completes that one. A refused passkey rejects with 401
 * (`…/passkey-invalid`). Completing a pending sign-in, `mutate({ rememberDevice: true })` asks the
 * server to remember this browser, as {@link useVerifyMfa} does.
 *
 * @example
 * ```tsx
 * const passkey = useSignInWithPasskey()
 * <button onClick={() => passkey.mutate()}>Sign in with a passkey</button>
 * ```
 */
export function useSignInWithPasskey(options: PasskeyHookOptions = {}): UseMutationResult<SessionUser, AuthFetchError | Error, { rememberDevice?: boolean } | void> {
  const runtime = useAuthRuntime('useSignInWithPasskey')
  const webauthn = options.webauthn ?? browserWebAuthn
  return useMutation<SessionUser, AuthFetchError | Error, { rememberDevice?: boolean } | void>(
    { mutationFn: (input) => signInWithPasskey(runtime, webauthn, input?.rememberDevice === true) },
    runtime.queryClient,
  )
}
