'use client'
import { useMutation, useQuery, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query'
import type { SessionPayload } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import type { TrustedDevice } from './http-types.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { retryServerErrors } from './lib/session-query.js'
import { authQueryKeys } from './query-keys.js'
import { useSession } from './use-session.js'

export type { TrustedDevice }

/** What {@link useTrustedDevices} answers. */
export interface TrustedDevicesState {
  /** `GET /auth/mfa/devices`, fetched while signed in (404 when the server does not remember devices). */
  list: UseQueryResult<TrustedDevice[], AuthFetchError>
  /** `DELETE /auth/mfa/devices/:id`: the next sign-in from that browser asks for the second factor again; 404 for an id that is not yours. */
  forget: UseMutationResult<void, AuthFetchError, string>
}

/**
 * The browsers the signed-in user asked to remember after a second factor
 * (`useVerifyMfa().mutate({ …, rememberDevice: true })`), for a devices page: list and forget.
 *
 * @example
 * ```tsx
 * const devices = useTrustedDevices()
 * {devices.list.data?.map((d) => <li key={d.id}>{d.label} <button onClick={() => devices.forget.mutate(d.id)}>Forget</button></li>)}
 * ```
 */
export function useTrustedDevices(): TrustedDevicesState {
  const runtime = useAuthRuntime('useTrustedDevices')
  useSession()
  const { fetch, basePath, queryClient } = runtime
  return {
    list: useQuery<TrustedDevice[], AuthFetchError>(
      {
        queryKey: authQueryKeys.trustedDevices(),
        queryFn: ({ signal }) => fetch<TrustedDevice[]>(`${basePath}/mfa/devices`, { signal }),
        enabled: () => queryClient.getQueryData<SessionPayload>(authQueryKeys.session())?.user != null,
        retry: retryServerErrors,
      },
      queryClient,
    ),
    forget: useMutation<void, AuthFetchError, string>(
      {
        mutationFn: async (id) => {
          await fetch(`${basePath}/mfa/devices/${encodeURIComponent(id)}`, { method: 'DELETE' })
          await queryClient.invalidateQueries({ queryKey: authQueryKeys.trustedDevices() })
        },
      },
      queryClient,
    ),
  }
}
