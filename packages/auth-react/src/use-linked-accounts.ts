'use client'
import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import { retryServerErrors } from './lib/session-query.js'
import { authQueryKeys } from './query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import type { LinkedAccount } from './http-types.js'
import { useSession } from './use-session.js'

/**
 * The ways to sign in to this account, from `GET /auth/accounts`: `password` (when it has one)
 * and each linked provider, `[{ provider, linkedAt }]`. Fetched only while signed in; unlink one
 * with {@link useUnlinkAccount}.
 *
 * @example
 * ```tsx
 * const { data: methods = [] } = useLinkedAccounts()
 * return <ul>{methods.map((m) => <li key={m.provider}>{m.provider}</li>)}</ul>
 * ```
 */
export function useLinkedAccounts(): UseQueryResult<LinkedAccount[], AuthFetchError> {
  const runtime = useAuthRuntime('useLinkedAccounts')
  // Subscribing to the status re-renders this hook when the user signs in or out.
  useSession()
  const { fetch, basePath, queryClient } = runtime
  return useQuery<LinkedAccount[], AuthFetchError>(
    {
      queryKey: authQueryKeys.accounts(),
      queryFn: ({ signal }) => fetch<LinkedAccount[]>(`${basePath}/accounts`, { signal }),
      enabled: () => queryClient.getQueryData<SessionPayload>(authQueryKeys.session())?.user != null,
      retry: retryServerErrors,
    },
    queryClient,
  )
}
