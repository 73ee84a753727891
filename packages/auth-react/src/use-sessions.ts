'use client'
import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { retryServerErrors } from './lib/session-query.js'
import { authQueryKeys } from './query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import type { DeviceSession } from './http-types.js'
import { useSession } from './use-session.js'

/**
 * This user's sessions (devices), from `GET /auth/sessions`. Fetched only while signed in.
 *
 * @example
 * ```tsx
 * const { data: devices = [] } = useSessions()
 * return <ul>{devices.map((d) => <li key={d.id}>{d.userAgent}{d.current && ' (this device)'}</li>)}</ul>
 * ```
 */
export function useSessions(): UseQueryResult<DeviceSession[], AuthFetchError> {
  const runtime = useAuthRuntime('useSessions')
  // Subscribing to the status re-renders this hook when the user signs in or out.
  useSession()
  const { fetch, basePath, queryClient } = runtime
  return useQuery<DeviceSession[], AuthFetchError>(
    {
      queryKey: authQueryKeys.sessions(),
      queryFn: ({ signal }) => fetch<DeviceSession[]>(`${basePath}/sessions`, { signal }),
      // Read at fetch time, not render time: a reset right after sign-out must not refetch.
      enabled: () => queryClient.getQueryData<SessionPayload>(authQueryKeys.session())?.user != null,
      retry: retryServerErrors,
    },
    queryClient,
  )
}
