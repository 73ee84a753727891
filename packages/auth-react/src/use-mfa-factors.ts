'use client'
import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { SessionPayload } from '@acme/auth-core'
import type { AuthFetchError } from './create-auth-fetch.js'
import { useAuthRuntime } from './lib/auth-context.js'
import type { MfaFactors } from './lib/mfa-actions.js'
import { retryServerErrors } from './lib/session-query.js'
import { authQueryKeys } from './query-keys.js'
import { useSession } from './use-session.js'

export type { MfaFactors }

/**
 * The signed-in user's second factors (`GET /auth/mfa`): `{ totp, recoveryCodes, passkeys }`
 * (whether TOTP is on, how many recovery codes and passkeys are left). Fetched only while signed in.
 *
 * @example
 * ```tsx
 * const { data } = useMfaFactors()
 * {data?.totp ? <p>Authenticator app on</p> : <EnrollButton />}
 * ```
 */
export function useMfaFactors(): UseQueryResult<MfaFactors, AuthFetchError> {
  const runtime = useAuthRuntime('useMfaFactors')
  useSession()
  const { fetch, basePath, queryClient } = runtime
  return useQuery<MfaFactors, AuthFetchError>(
    {
      queryKey: authQueryKeys.factors(),
      queryFn: ({ signal }) => fetch<MfaFactors>(`${basePath}/mfa`, { signal }),
      enabled: () => queryClient.getQueryData<SessionPayload>(authQueryKeys.session())?.user != null,
      retry: retryServerErrors,
    },
    queryClient,
  )
}
