// @vitest-environment happy-dom
import { createMockSession, MockAuthProvider, type MockSession } from '@acme/auth-testing/react'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { RequireRole } from './require-role.js'
import { SignedIn } from './signed-in.js'
import { SignedOut } from './signed-out.js'

afterEach(cleanup)

function Page({ session }: { session: MockSession }) {
  return (
    <MockAuthProvider session={session}>
      <SignedIn>menu</SignedIn>
      <SignedOut>sign-in link</SignedOut>
      <RequireRole role="admin" fallback="admins only">
        admin panel
      </RequireRole>
    </MockAuthProvider>
  )
}

describe('<SignedIn>, <SignedOut>, <RequireRole>', () => {
  it('signed in with the role: the menu and the admin panel', () => {
    const { container } = render(<Page session={createMockSession({ roles: ['admin'] })} />)
    expect(container.textContent).toBe('menuadmin panel')
  })

  it('signed in without the role: the menu and the fallback', () => {
    const { container } = render(<Page session={createMockSession({ roles: ['member'] })} />)
    expect(container.textContent).toBe('menuadmins only')
  })

  it('signed out: the sign-in link and the fallback', () => {
    const { container } = render(<Page session={null} />)
    expect(container.textContent).toBe('sign-in linkadmins only')
  })

  it('loading: neither signed-in nor signed-out content, and the fallback', () => {
    const { container } = render(<Page session="loading" />)
    expect(container.textContent).toBe('admins only')
  })

  it('renders nothing for a missing role when no fallback is given', () => {
    render(
      <MockAuthProvider session={createMockSession()}>
        <RequireRole role="admin">secret</RequireRole>
      </MockAuthProvider>,
    )
    expect(screen.queryByText('secret')).toBeNull()
  })
})
