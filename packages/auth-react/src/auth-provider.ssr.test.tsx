// Runs in plain Node (no DOM), as a server renderer does.
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider } from './auth-provider.js'
import { RequireRole } from './require-role.js'
import type { SessionPayload } from '@acme/auth-core'
import { SignedIn } from './signed-in.js'
import { SignedOut } from './signed-out.js'
import { useUser } from './use-user.js'

const alice: SessionPayload = {
  user: { id: 'u-alice', email: 'alice@example.com', name: 'Alice', roles: ['admin'] },
  session: { id: 'session-alice-0001', expiresAt: '2100-01-01T00:00:00.000Z' },
  csrfToken: 'alice-token',
}

function Page() {
  const user = useUser()
  return (
    <>
      <SignedIn>Hello, {user?.name}</SignedIn>
      <SignedOut>Sign in</SignedOut>
      <RequireRole role="admin">[admin]</RequireRole>
    </>
  )
}

describe('<AuthProvider> on the server', () => {
  it('renders the signed-in page from initialSession, with no request and no browser globals', () => {
    expect(typeof window).toBe('undefined')
    const fetch = vi.fn<typeof globalThis.fetch>()
    const html = renderToString(
      <AuthProvider initialSession={alice} fetch={fetch}>
        <Page />
      </AuthProvider>,
    )
    expect(html.replaceAll('<!-- -->', '')).toBe('Hello, Alice[admin]')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('renders signed out from { user: null } and nothing auth-dependent without a session', () => {
    const fetch = vi.fn<typeof globalThis.fetch>()
    const signedOut = renderToString(
      <AuthProvider initialSession={{ user: null }} fetch={fetch}>
        <Page />
      </AuthProvider>,
    )
    const unknown = renderToString(
      <AuthProvider fetch={fetch}>
        <Page />
      </AuthProvider>,
    )
    expect([signedOut, unknown]).toEqual(['Sign in', ''])
    expect(fetch).not.toHaveBeenCalled()
  })
})
