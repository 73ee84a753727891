// @vitest-environment happy-dom
// The account hooks against a real @acme/auth-server app with the account routes on, over HTTP,
// through the browser-like fetch (one cookie jar per browser). No browser storage is touched.
import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AuthProvider,
  useChangeEmail,
  useChangePassword,
  useDeleteAccount,
  useLinkedAccounts,
  useRequestPasswordReset,
  useResendVerification,
  useResetPassword,
  useSession,
  useSessions,
  useSignIn,
  useSignOut,
  useSignUp,
  useUnlinkAccount,
  useVerifyEmail,
  type AuthFetchError,
  type AuthStrategy,
} from '../src/index.js'
import { startAccountsTestServer, type AccountsTestServer } from './accounts-server.js'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { spyOnBrowserStorage, type StorageSpies } from './storage-spies.js'

let server: AccountsTestServer
let storage: StorageSpies

beforeAll(async () => {
  server = await startAccountsTestServer()
})
afterAll(() => server.close())
beforeEach(() => {
  storage = spyOnBrowserStorage()
})
afterEach(() => {
  cleanup()
  const touched = storage.touched()
  storage.restore()
  expect(touched).toEqual([])
})

/** Every account hook a settings page and the signed-out pages would use. */
function useAccountPages() {
  const { data: methods } = useLinkedAccounts()
  const { data: devices, refetch: refetchDevices } = useSessions()
  return {
    session: useSession(),
    signIn: useSignIn(),
    signOut: useSignOut(),
    signUp: useSignUp(),
    verify: useVerifyEmail(),
    resend: useResendVerification(),
    forgot: useRequestPasswordReset(),
    reset: useResetPassword(),
    change: useChangePassword(),
    changeEmail: useChangeEmail(),
    unlink: useUnlinkAccount(),
    remove: useDeleteAccount(),
    methods,
    devices,
    refetchDevices,
  }
}

function openTab(browser: TestBrowser, strategy: AuthStrategy = 'session') {
  const queryClient = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider fetch={browser.fetch} queryClient={queryClient} strategy={strategy}>
      {children}
    </AuthProvider>
  )
  return { ...renderHook(() => useAccountPages(), { wrapper }), queryClient }
}

async function signedOutTab(browser: TestBrowser, strategy: AuthStrategy = 'session') {
  const tab = openTab(browser, strategy)
  await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
  return tab
}

async function signedInTab(browser: TestBrowser, credentials: { email: string; password: string }, strategy: AuthStrategy = 'session') {
  const tab = await signedOutTab(browser, strategy)
  await act(() => tab.result.current.signIn.mutateAsync(credentials))
  await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
  return tab
}

const failure = (promise: Promise<unknown>) => act(() => promise.then(() => null, (error: unknown) => error as AuthFetchError))

async function serverSession(browser: TestBrowser) {
  return ((await (await browser.fetch('/auth/session')).json()) as { user: { email: string } | null }).user
}

describe('the account hooks against a real auth-server', () => {
  it('signs up (nobody signed in, a link mailed), then verifies from the link: signed in with a new session', async () => {
    const browser = createTestBrowser(server.url)
    const tab = await signedOutTab(browser)
    const email = `new-${Date.now()}@example.com`

    const result = await act(() => tab.result.current.signUp.mutateAsync({ email, password: 'a long new password', name: 'Neo' }))
    expect(result).toEqual({ status: 'verification_sent' })
    expect(tab.result.current.session.status).toBe('unauthenticated')
    const token = await server.tokenMailedTo(email)

    const user = await act(() => tab.result.current.verify.mutateAsync(token))
    expect(user).toMatchObject({ email, name: 'Neo', roles: ['member'] })
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ status: 'authenticated', user: { email } }))
    expect(await serverSession(browser)).toMatchObject({ email })
    // The link is single use.
    const reused = await failure(tab.result.current.verify.mutateAsync(token))
    expect(reused?.status).toBe(400)
    expect(reused?.data?.type).toMatch(/\/invalid-token$/)
    // The session's CSRF token came back with it: an unsafe request works at once.
    await act(() => tab.result.current.signOut.mutateAsync())
    expect(await serverSession(browser)).toBeNull()
  })

  it('answers a sign-up for a taken address exactly like a new one, and a refused password with its reasons', async () => {
    const taken = await server.addUser('the existing password')
    const tab = await signedOutTab(createTestBrowser(server.url))
    await expect(act(() => tab.result.current.signUp.mutateAsync({ email: taken.email, password: 'another long password' }))).resolves.toEqual({
      status: 'verification_sent',
    })
    const refused = await failure(tab.result.current.signUp.mutateAsync({ email: `short-${Date.now()}@example.com`, password: 'short' }))
    expect(refused).toMatchObject({ status: 400, data: { violations: ['too_short'] } })
    // Resend is 202 for any address, and so is "forgot password".
    await act(() => tab.result.current.resend.mutateAsync(`nobody-${Date.now()}@example.com`))
    await act(() => tab.result.current.forgot.mutateAsync(`nobody-${Date.now()}@example.com`))
    expect(tab.result.current.session.status).toBe('unauthenticated')
  })

  it('resets a forgotten password: every session of the user ends, this tab shows signed out, the new password works', async () => {
    const ada = await server.addUser('the old password')
    const phone = createTestBrowser(server.url, 'phone')
    await signedInTab(phone, ada)
    const laptop = createTestBrowser(server.url, 'laptop')
    const tab = await signedInTab(laptop, ada) // recovery works while signed in

    await act(() => tab.result.current.forgot.mutateAsync(ada.email))
    const token = await server.tokenMailedTo(ada.email)
    // A refused password does not burn the link.
    expect(await failure(tab.result.current.reset.mutateAsync({ token, password: 'short' }))).toMatchObject({ status: 400, data: { violations: ['too_short'] } })
    await act(() => tab.result.current.reset.mutateAsync({ token, password: 'the brand new password' }))

    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(await serverSession(phone)).toBeNull()
    expect(await serverSession(laptop)).toBeNull()
    expect(await failure(tab.result.current.signIn.mutateAsync(ada))).toMatchObject({ status: 401 })
    await act(() => tab.result.current.signIn.mutateAsync({ email: ada.email, password: 'the brand new password' }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
    expect(await failure(tab.result.current.reset.mutateAsync({ token, password: 'yet another password' }))).toMatchObject({ status: 400 })
  })

  it('changes the password: the other device is signed out, this tab stays signed in on a new session token', async () => {
    const ada = await server.addUser('the old password')
    const phone = createTestBrowser(server.url, 'phone')
    await signedInTab(phone, ada)
    const laptop = createTestBrowser(server.url, 'laptop')
    const tab = await signedInTab(laptop, ada)
    const before = laptop.jar.get('__Host-sid')!

    const wrong = await failure(tab.result.current.change.mutateAsync({ currentPassword: 'not it', newPassword: 'the brand new password' }))
    expect(wrong).toMatchObject({ status: 401 })
    await act(() => tab.result.current.change.mutateAsync({ currentPassword: ada.password, newPassword: 'the brand new password' }))

    expect(laptop.jar.get('__Host-sid')).not.toBe(before)
    expect(tab.result.current.session.status).toBe('authenticated')
    // The old session token is dead: a browser that kept a copy of it is signed out.
    const copy = createTestBrowser(server.url)
    copy.jar.set('__Host-sid', before)
    expect(await serverSession(copy)).toBeNull()
    expect(await serverSession(phone)).toBeNull()
    await waitFor(() => expect(tab.result.current.devices).toMatchObject([{ current: true, userAgent: 'laptop' }]))
    // The CSRF token held still matches: an unsafe request is accepted, and the new password signs in.
    await act(() => tab.result.current.signOut.mutateAsync())
    expect(await serverSession(laptop)).toBeNull()
    await act(() => tab.result.current.signIn.mutateAsync({ email: ada.email, password: 'the brand new password' }))
  })

  it('lists the linked sign-in methods, unlinks a provider, and refuses to unlink the last one', async () => {
    const ada = await server.addUser('the password')
    server.users.link(ada.id, 'github', Date.parse('2026-01-02T03:04:05.000Z'))
    const tab = await signedInTab(createTestBrowser(server.url), ada)
    await waitFor(() => expect(tab.result.current.methods?.map((m) => m.provider)).toEqual(['password', 'github']))
    expect(tab.result.current.methods![1]).toEqual({ provider: 'github', linkedAt: '2026-01-02T03:04:05.000Z' })

    await act(() => tab.result.current.unlink.mutateAsync('github'))
    await waitFor(() => expect(tab.result.current.methods?.map((m) => m.provider)).toEqual(['password']))
    const last = await failure(tab.result.current.unlink.mutateAsync('password'))
    expect(last?.status).toBe(409)
    expect(last?.data?.type).toMatch(/\/last-sign-in-method$/)
    expect(tab.result.current.session.status).toBe('authenticated')
  })

  it('deletes the account with its password: signed out everywhere, and the account is gone', async () => {
    const ada = await server.addUser('the password')
    const phone = createTestBrowser(server.url, 'phone')
    await signedInTab(phone, ada)
    const laptop = createTestBrowser(server.url, 'laptop')
    const tab = await signedInTab(laptop, ada)

    expect(await failure(tab.result.current.remove.mutateAsync({ password: 'not it' }))).toMatchObject({ status: 401 })
    expect(tab.result.current.session.status).toBe('authenticated')
    await act(() => tab.result.current.remove.mutateAsync({ password: ada.password }))

    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(tab.result.current.methods).toBeUndefined()
    expect(await serverSession(phone)).toBeNull()
    expect(server.users.users.has(ada.id)).toBe(false)
    expect(await failure(tab.result.current.signIn.mutateAsync(ada))).toMatchObject({ status: 401 })
  })

  it('changes the email address: nothing changes until the link mailed to the new address is used, which signs in at it', async () => {
    const ada = await server.addUser('the password')
    const tab = await signedInTab(createTestBrowser(server.url), ada)
    const newEmail = `moved-${ada.id}@example.com`
    expect(await failure(tab.result.current.changeEmail.mutateAsync({ newEmail, password: 'not it' }))).toMatchObject({ status: 401 })
    await act(() => tab.result.current.changeEmail.mutateAsync({ newEmail, password: ada.password }))
    expect(tab.result.current.session.user?.email).toBe(ada.email)
    const token = await server.tokenMailedTo(newEmail)
    expect(server.users.users.get(ada.id)?.email).toBe(ada.email)

    const other = await signedOutTab(createTestBrowser(server.url, 'phone'))
    const user = await act(() => other.result.current.verify.mutateAsync(token))
    expect(user).toMatchObject({ email: newEmail })
    expect(server.users.users.get(ada.id)?.email).toBe(newEmail)
    await waitFor(() => expect(other.result.current.session).toMatchObject({ status: 'authenticated', user: { email: newEmail } }))
  })

  it('deletes the account without a password right after signing in', async () => {
    const ada = await server.addUser('the password')
    const tab = await signedInTab(createTestBrowser(server.url), ada)
    await act(() => tab.result.current.remove.mutateAsync())
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(server.users.users.has(ada.id)).toBe(false)
  })
})

describe('the account hooks on the token strategy', () => {
  let tokenServer: AccountsTestServer
  beforeAll(async () => {
    tokenServer = await startAccountsTestServer('token')
  })
  afterAll(() => tokenServer.close())

  it('changes the password: this tab keeps going on a new access and refresh pair, a wrong password is sent once', async () => {
    const ada = await tokenServer.addUser('the old password')
    const browser = createTestBrowser(tokenServer.url)
    const tab = await signedInTab(browser, ada, 'token')
    const before = { access: browser.jar.get('__Host-access'), refresh: browser.jar.get('__Secure-refresh') }

    const from = browser.sent.length
    expect(await failure(tab.result.current.change.mutateAsync({ currentPassword: 'not it', newPassword: 'the brand new password' }))).toMatchObject({ status: 401 })
    // Not refreshed and sent again: a wrong password counts once against the limits.
    expect(browser.sent.slice(from).filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/auth/password'])

    await act(() => tab.result.current.change.mutateAsync({ currentPassword: ada.password, newPassword: 'the brand new password' }))
    expect(browser.jar.get('__Host-access')).not.toBe(before.access)
    expect(browser.jar.get('__Secure-refresh')).not.toBe(before.refresh)
    expect(tab.result.current.session.status).toBe('authenticated')
    await act(() => tab.result.current.signOut.mutateAsync())
    expect(await serverSession(browser)).toBeNull()
  })
})
