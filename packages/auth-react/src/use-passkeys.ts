'use client'
import { useMutation, useQuery, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query'
import type { SessionPayload } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { browserWebAuthn, deletePasskey, registerPasskey, renamePasskey, type Passkey, type WebAuthnCeremonies } from './lib/passkey-actions.js'
import { retryServerErrors } from './lib/session-query.js'
import { authQueryKeys } from './query-keys.js'
import { useSession } from './use-session.js'

export type { Passkey, WebAuthnCeremonies }

/** Options of {@link usePasskeys} and {@link useSignInWithPasskey}. */
export interface PasskeyHookOptions {
  /** The browser half of WebAuthn. @default `@simplewebauthn/browser` (`navigator.credentials`) */
  webauthn?: WebAuthnCeremonies
}

/** What {@link usePasskeys} answers. */
export interface PasskeysState {
  /** `GET /auth/passkeys`, fetched while signed in. */
  list: UseQueryResult<Passkey[], AuthFetchError>
  /** Creates a passkey (a fresh session, else 401 `…/reauthenticate`), with an optional name. */
  register: UseMutationResult<Passkey, AuthFetchError | Error, { name?: string } | void>
  rename: UseMutationResult<Passkey, AuthFetchError, { id: string; name: string }>
  /** A fresh session, else 401 `…/reauthenticate`; 404 for an id that is not yours. */
  remove: UseMutationResult<void, AuthFetchError, string>
}

/**
 * The signed-in user's passkeys: list, register (the options from the server, the browser's
 * `navigator.credentials.create()` through `@simplewebauthn/browser`, the attestation back),
 * rename and remove. A ceremony the user cancels rejects with the browser's error (not an HTTP one).
 *
 * @example
 * ```tsx
 * const passkeys = usePasskeys()
 * <button onClick={() => passkeys.register.mutate({ name: 'Laptop' })}>Add a passkey</button>
 * {passkeys.list.data?.map((p) => <li key={p.id}>{p.name}</li>)}
 * ```
 */
export function usePasskeys(options: PasskeyHookOptions = {}): PasskeysState {
  const runtime = useAuthRuntime('usePasskeys')
  useSession()
  const { fetch, basePath, queryClient } = runtime
  const webauthn = options.webauthn ?? browserWebAuthn
  return {
    list: useQuery<Passkey[], AuthFetchError>(
      {
        queryKey: authQueryKeys.passkeys(),
        queryFn: ({ signal }) => fetch<Passkey[]>(`${basePath}/passkeys`, { signal }),
        enabled: () => queryClient.getQueryData<SessionPayload>(authQueryKeys.session())?.user != null,
        retry: retryServerErrors,
      },
      queryClient,
    ),
    register: useMutation<Passkey, AuthFetchError | Error, { name?: string } | void>(
      { mutationFn: (input) => registerPasskey(runtime, webauthn, input?.name) },
      queryClient,
    ),
    rename: useMutation<Passkey, AuthFetchError, { id: string; name: string }>({ mutationFn: ({ id, name }) => renamePasskey(runtime, id, name) }, queryClient),
    remove: useMutation<void, AuthFetchError, string>({ mutationFn: (id) => deletePasskey(runtime, id) }, queryClient),
  }
}
