import { AuthProvider } from '@acme/auth-react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactElement } from 'react'
import type { InitialState } from '../shared/page-state.js'
import { Layout } from './layout.js'
import { AdminPage } from './pages/admin-page.js'
import { DashboardPage } from './pages/dashboard-page.js'
import { LoginPage } from './pages/login-page.js'
import { MessagePage } from './pages/message-page.js'
import { NotePage } from './pages/note-page.js'
import { SecurityPage } from './pages/security-page.js'
import { SessionsPage } from './pages/sessions-page.js'
import { AccountPage } from './pages/account-page.js'
import { ForgotPasswordPage } from './pages/forgot-password-page.js'
import { OutboxPage } from './pages/outbox-page.js'
import { ResetPasswordPage } from './pages/reset-password-page.js'
import { SignUpPage } from './pages/signup-page.js'
import { VerifyEmailPage } from './pages/verify-email-page.js'

/** The whole app, rendered on the server and hydrated in the browser with the same state. */
export function App({ state }: { state: InitialState }): ReactElement {
  // One QueryClient per render on the server and per page in the browser: never shared between users.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }))
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider initialSession={state.session} queryClient={queryClient} strategy={state.page.strategy}>
        <Layout page={state.page}>
          <Page state={state} />
        </Layout>
      </AuthProvider>
    </QueryClientProvider>
  )
}

function Page({ state }: { state: InitialState }): ReactElement {
  const { page } = state
  switch (page.page) {
    case 'login':
      return <LoginPage page={page} />
    case 'dashboard':
      return <DashboardPage />
    case 'note':
      return <NotePage noteId={page.noteId ?? ''} />
    case 'sessions':
      return <SessionsPage />
    case 'security':
      return <SecurityPage />
    case 'admin':
      return <AdminPage />
    case 'forbidden':
      return <MessagePage title="Not allowed" text="Your account cannot open this page." />
    case 'not-found':
      return <MessagePage title="Not found" text="There is no page at this address." />
    case 'signup':
      return <SignUpPage page={page} />
    case 'forgot-password':
      return <ForgotPasswordPage page={page} />
    case 'reset-password':
      return <ResetPasswordPage />
    case 'verify-email':
      return <VerifyEmailPage />
    case 'account':
      return <AccountPage />
    case 'outbox':
      return <OutboxPage messages={page.outbox ?? []} />
  }
}
