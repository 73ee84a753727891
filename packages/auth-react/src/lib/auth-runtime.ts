import type { QueryClient } from '@tanstack/react-query'
import { createAuthClient, type AuthFetch } from '../create-auth-fetch.js'
import { authQueryKeys } from '../query-keys.js'
import type { SessionPayload } from '@acme/auth-core'
import { openAuthChannel, type AuthChannel, type AuthEvent } from './auth-channel.js'
import { revalidateIdentity } from './identity.js'
import { sessionQueryOptions } from './session-query.js'
import type { AuthStrategy, TokenRefresher } from './token-refresh.js'

/** What `<AuthProvider>` shares with the hooks. */
export interface AuthRuntime {
  readonly queryClient: QueryClient
  readonly basePath: string
  readonly fetch: AuthFetch
  /** Token strategy only: renews the access cookie (shared with the fetch client). */
  readonly refresher: TokenRefresher | undefined
  readonly sessionQuery: ReturnType<typeof sessionQueryOptions>
  /** Tells the other tabs (no-op until connected). */
  notify(event: AuthEvent): void
  /** Mounts the QueryClient (focus and reconnect refetches) and opens the cross-tab channel. */
  connect(): () => void
}

export interface AuthRuntimeOptions {
  queryClient: QueryClient
  basePath: string
  strategy: AuthStrategy
  fetch: typeof globalThis.fetch | undefined
  initialSession: SessionPayload | undefined
}

export function createAuthRuntime(options: AuthRuntimeOptions): AuthRuntime {
  const { queryClient, basePath, strategy, initialSession } = options
  const { fetch, refresher } = createAuthClient({ queryClient, basePath, strategy, ...(options.fetch ? { fetch: options.fetch } : {}) })
  // Seeded once, and only into an empty cache: the server-rendered session is the first truth,
  // never one that overwrites a newer answer already held by the app's QueryClient.
  if (initialSession !== undefined && queryClient.getQueryData(authQueryKeys.session()) === undefined) {
    queryClient.setQueryData(authQueryKeys.session(), initialSession)
  }
  let channel: AuthChannel | undefined
  const runtime: AuthRuntime = {
    queryClient,
    basePath,
    fetch,
    refresher,
    sessionQuery: sessionQueryOptions(fetch, basePath, refresher),
    notify: (event) => channel?.post(event),
    connect() {
      queryClient.mount()
      // Another tab's word is a hint: this tab asks the server rather than trusting the message.
      const opened = openAuthChannel(`acme-auth:${basePath}`, () => revalidateIdentity(runtime))
      channel = opened
      // Token strategy, rendered signed out: the access cookie may only have lapsed while the
      // refresh cookie (which the server cannot read on every page) is still good. Try once.
      const rendered = queryClient.getQueryData<SessionPayload>(authQueryKeys.session())
      if (refresher && rendered !== undefined && !rendered.user) void refresher.renew(refresher.generation)
      return () => {
        opened.close()
        if (channel === opened) channel = undefined
        queryClient.unmount()
      }
    },
  }
  return runtime
}
