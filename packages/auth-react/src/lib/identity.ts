import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import type { AuthRuntime } from './auth-runtime.js'

type Runtime = Pick<AuthRuntime, 'queryClient' | 'fetch' | 'basePath' | 'refresher'>

/**
 * After this tab changed who is signed in: read the session from the server into the cache.
 * The CSRF token, the device lists and the linked accounts belonged to the previous identity, so they go too.
 */
export async function reloadSession(runtime: Runtime): Promise<SessionPayload> {
  const { queryClient } = runtime
  // A refetch that started before the change would answer with the old identity.
  await queryClient.cancelQueries({ queryKey: authQueryKeys.session() })
  queryClient.removeQueries({ queryKey: authQueryKeys.csrf() })
  const payload = await runtime.fetch<SessionPayload>(`${runtime.basePath}/session`)
  queryClient.setQueryData(authQueryKeys.session(), payload)
  if (payload.user) runtime.refresher?.reset()
  void queryClient.resetQueries({ queryKey: authQueryKeys.sessions() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.accounts() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.factors() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.passkeys() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.trustedDevices() })
  return payload
}

/** After the server confirmed this session ended: signed out at once, no request needed. */
export async function markSignedOut(runtime: Runtime): Promise<void> {
  const { queryClient } = runtime
  await queryClient.cancelQueries({ queryKey: authQueryKeys.session() })
  queryClient.setQueryData<SessionPayload>(authQueryKeys.session(), { user: null })
  queryClient.removeQueries({ queryKey: authQueryKeys.csrf() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.sessions() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.accounts() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.factors() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.passkeys() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.trustedDevices() })
}

/** Another tab says the identity changed: ask the server. */
export function revalidateIdentity(runtime: Runtime): void {
  const { queryClient } = runtime
  // The other tab may have signed in: a refresh refused earlier may work now.
  runtime.refresher?.reset()
  queryClient.removeQueries({ queryKey: authQueryKeys.csrf() })
  void queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.sessions() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.accounts() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.factors() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.passkeys() })
  void queryClient.resetQueries({ queryKey: authQueryKeys.trustedDevices() })
}
