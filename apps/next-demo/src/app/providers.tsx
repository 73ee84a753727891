'use client'
import type { SessionPayload } from '@acme/auth-core'
import { AuthProvider } from '@acme/auth-react'
import { Layout } from '@acme/demo/client/layout'
import type { PageName } from '@acme/demo/shared/page-state'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { usePathname } from 'next/navigation'
import { useState, type ReactElement, type ReactNode } from 'react'

/** The page name apps/demo's Layout highlights and guards, from the path. */
function pageOf(pathname: string): PageName {
  if (pathname === '/') return 'dashboard'
  if (pathname === '/login') return 'login'
  if (pathname.startsWith('/notes/')) return 'note'
  if (pathname === '/account/sessions') return 'sessions'
  if (pathname === '/admin') return 'admin'
  if (pathname === '/account') return 'account'
  if (pathname === '/signup') return 'signup'
  if (pathname === '/forgot-password') return 'forgot-password'
  if (pathname === '/reset-password') return 'reset-password'
  if (pathname === '/verify-email') return 'verify-email'
  if (pathname === '/dev/outbox') return 'outbox'
  return 'not-found'
}

/**
 * The client half of the root layout: one QueryClient per page, `@acme/auth-react`'s provider
 * seeded with the session the server read (no flash of signed-out content), and apps/demo's
 * header, navigation and signed-out watch.
 */
export function Providers({ session, strategy, children }: { session: SessionPayload; strategy: 'session' | 'token'; children: ReactNode }): ReactElement {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }))
  const pathname = usePathname()
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider initialSession={session} queryClient={queryClient} strategy={strategy}>
        <Layout page={{ page: pageOf(pathname), strategy, returnTo: '/' }}>{children}</Layout>
      </AuthProvider>
    </QueryClientProvider>
  )
}
