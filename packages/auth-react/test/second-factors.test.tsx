// @vitest-environment happy-dom
// The second-factor and passkey hooks against a real @acme/auth-server app, over HTTP, through the
// browser-like fetch. The WebAuthn ceremonies run on the testing kit's software authenticator
// (happy-dom has no navigator.credentials). No browser storage is touched.
import { createSoftwareAuthenticator, createTotpCode } from '@acme/auth-testing'
import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AuthProvider,
  MfaRequiredError,
  useEnrollTotp,
  useMfaChallenge,
  useMfaFactors,
  usePasskeys,
  useRecoveryCodes,
  useSession,
  useSignIn,
  useSignInWithPasskey,
  useSignOut,
  useStepUp,
  useVerifyMfa,
  useAuthFetch,
  type AuthFetchError,
  type WebAuthnCeremonies,
} from '../src/index.js'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { startSecondFactorsTestServer, type SecondFactorsTestServer } from './second-factors-server.js'
import { spyOnBrowserStorage, type StorageSpies } from './storage-spies.js'
import { appOrigin } from './test-server.js'

let server: SecondFactorsTestServer
let storage: StorageSpies

beforeAll(async () => {
  server = await startSecondFactorsTestServer()
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

function useSecurityPages(webauthn: WebAuthnCeremonies | undefined) {
  const options = webauthn ? { webauthn } : {}
  return {
    session: useSession(),
    signIn: useSignIn(),
    signOut: useSignOut(),
    challenge: useMfaChallenge(),
    verify: useVerifyMfa(),
    totp: useEnrollTotp(),
    codes: useRecoveryCodes(),
    factors: useMfaFactors(),
    passkeys: usePasskeys(options),
    passkeySignIn: useSignInWithPasskey(options),
    stepUp: useStepUp(),
    authFetch: useAuthFetch(),
  }
}

async function openTab(browser: TestBrowser, webauthn?: WebAuthnCeremonies) {
  const queryClient = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider fetch={browser.fetch} queryClient={queryClient}>
      {children}
    </AuthProvider>
  )
  const tab = renderHook(() => useSecurityPages(webauthn), { wrapper })
  await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
  return tab
}
type Tab = Awaited<ReturnType<typeof openTab>>

const failure = (promise: Promise<unknown>) => act(() => promise.then(() => null, (error: unknown) => error as AuthFetchError))
const secretOf = (otpauthUrl: string) => new URL(otpauthUrl).searchParams.get('secret')!
/** The next 30-second step: a TOTP code is accepted once, so each use takes a new one. */
const nextCode = (secret: string) => {
  server.clock.advance(30_000)
  return createTotpCode(secret, server.clock)
}

async function signInWithPassword(tab: Tab, user: { email: string; password: string }) {
  await act(() => tab.result.current.signIn.mutateAsync(user))
  await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
}

async function enrollTotp(tab: Tab) {
  const enrollment = await act(() => tab.result.current.totp.start.mutateAsync())
  const secret = secretOf(enrollment.otpauthUrl)
  const { recoveryCodes } = await act(() => tab.result.current.totp.confirm.mutateAsync(nextCode(secret)))
  return { enrollment, secret, recoveryCodes }
}

describe('the second-factor hooks against a real auth-server', () => {
  it('enrolls TOTP, then a password alone leaves a challenge that a code turns into a session', async () => {
    const user = await server.addUser('a long password one')
    const browser = createTestBrowser(server.url)
    const tab = await openTab(browser)
    await signInWithPassword(tab, user)

    const { enrollment, secret, recoveryCodes } = await enrollTotp(tab)
    expect(enrollment.otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
    expect(enrollment.qrSvg).toMatch(/^<svg[\s>]/)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    await waitFor(() => expect(tab.result.current.totp.confirm.data?.recoveryCodes).toEqual(recoveryCodes))
    await waitFor(() => expect(tab.result.current.factors.data).toEqual({ totp: true, recoveryCodes: 10, passkeys: 0 }))
    await act(() => tab.result.current.signOut.mutateAsync())

    // The password is right, but no session yet: the sign-in rejects and the challenge says which methods.
    const pending = await failure(tab.result.current.signIn.mutateAsync(user))
    expect(pending).toBeInstanceOf(MfaRequiredError)
    expect((pending as MfaRequiredError).code).toBe('mfa_required')
    await waitFor(() => expect(tab.result.current.challenge).toMatchObject({ pending: true, methods: ['totp', 'recovery'] }))
    expect(tab.result.current.session.status).toBe('unauthenticated')
    expect(browser.jar.has('__Host-sid')).toBe(false)

    // A wrong code is refused and may be retried; the right one signs in with two factors.
    const wrong = await failure(tab.result.current.verify.mutateAsync({ method: 'totp', code: '000000' }))
    expect(wrong?.status).toBe(401)
    expect(wrong?.data?.type).toMatch(/\/mfa-invalid-code$/)
    const signedIn = await act(() => tab.result.current.verify.mutateAsync({ method: 'totp', code: nextCode(secret) }))
    expect(signedIn.email).toBe(user.email)
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ status: 'authenticated', session: { authLevel: 'mfa' } }))
    expect(tab.result.current.challenge.pending).toBe(false)
    // The session's CSRF token came with it: an unsafe request works at once.
    await act(() => tab.result.current.signOut.mutateAsync())
    await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
    expect(await (await browser.fetch('/auth/session')).json()).toEqual({ user: null })
  })

  it('resume(): a page that did not start the pending sign-in (an OAuth redirect) learns of it from the server', async () => {
    const user = await server.addUser('a long password resume')
    const browser = createTestBrowser(server.url)
    const first = await openTab(browser)
    await signInWithPassword(first, user)
    const { secret } = await enrollTotp(first)
    await act(() => first.result.current.signOut.mutateAsync())
    expect(await failure(first.result.current.signIn.mutateAsync(user))).toBeInstanceOf(MfaRequiredError)
    first.unmount()

    // A new page of the same browser (as after a redirect): nothing pending in its memory.
    const landed = await openTab(browser)
    expect(landed.result.current.challenge.pending).toBe(false)
    expect(await act(() => landed.result.current.challenge.resume())).toBe(true)
    await waitFor(() => expect(landed.result.current.challenge).toMatchObject({ pending: true, methods: ['totp', 'recovery'] }))
    await act(() => landed.result.current.verify.mutateAsync({ method: 'totp', code: nextCode(secret) }))
    await waitFor(() => expect(landed.result.current.session).toMatchObject({ status: 'authenticated', session: { authLevel: 'mfa' } }))
    expect(landed.result.current.challenge.pending).toBe(false)
    // Nothing pending any more: resume() says so and reports no challenge.
    expect(await act(() => landed.result.current.challenge.resume())).toBe(false)
    expect(landed.result.current.challenge.pending).toBe(false)
  })

  it('signs in with a recovery code once; the same code is refused the second time; new codes void the old', async () => {
    const user = await server.addUser('a long password two')
    const browser = createTestBrowser(server.url)
    const tab = await openTab(browser)
    await signInWithPassword(tab, user)
    const { recoveryCodes } = await enrollTotp(tab)
    await act(() => tab.result.current.signOut.mutateAsync())

    const code = recoveryCodes[0]!
    await failure(tab.result.current.signIn.mutateAsync(user))
    await act(() => tab.result.current.verify.mutateAsync({ method: 'recovery', code }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
    await waitFor(() => expect(tab.result.current.factors.data?.recoveryCodes).toBe(9))
    await act(() => tab.result.current.signOut.mutateAsync())

    await failure(tab.result.current.signIn.mutateAsync(user))
    const reused = await failure(tab.result.current.verify.mutateAsync({ method: 'recovery', code }))
    expect(reused?.status).toBe(401)
    expect(tab.result.current.session.status).toBe('unauthenticated')
    await act(() => tab.result.current.verify.mutateAsync({ method: 'recovery', code: recoveryCodes[1]! }))
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))

    const fresh = await act(() => tab.result.current.codes.mutateAsync())
    expect(fresh.recoveryCodes).toHaveLength(10)
    expect(fresh.recoveryCodes).not.toContain(recoveryCodes[2])
    await act(() => tab.result.current.signOut.mutateAsync())
    await failure(tab.result.current.signIn.mutateAsync(user))
    expect((await failure(tab.result.current.verify.mutateAsync({ method: 'recovery', code: recoveryCodes[2]! })))?.status).toBe(401)
  })

  it('steps up a one-factor session for a guarded route, then the route answers', async () => {
    const user = await server.addUser('a long password three')
    const browser = createTestBrowser(server.url)
    const tab = await openTab(browser)
    await signInWithPassword(tab, user)
    const { secret } = await enrollTotp(tab)
    // Still the password-only session of before the enrollment.
    const danger = () => tab.result.current.authFetch<{ done: boolean }>('/api/danger', { method: 'POST' })
    const refused = await failure(danger())
    expect(refused?.status).toBe(401)
    expect(refused?.data?.type).toMatch(/\/mfa-required$/)

    await act(() => tab.result.current.stepUp.mutateAsync({ method: 'totp', code: nextCode(secret) }))
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ session: { authLevel: 'mfa' } }))
    expect(await act(() => danger())).toEqual({ done: true })
  })

  it('registers, renames and removes passkeys, and signs in with one (no email, two factors)', async () => {
    const user = await server.addUser('a long password four')
    const authenticator = createSoftwareAuthenticator({ origin: appOrigin })
    const browser = createTestBrowser(server.url)
    const tab = await openTab(browser, authenticator)
    await signInWithPassword(tab, user)

    const created = await act(() => tab.result.current.passkeys.register.mutateAsync({ name: 'Laptop' }))
    expect(created).toMatchObject({ name: 'Laptop', lastUsedAt: null })
    expect(authenticator.credentials).toHaveLength(1)
    await waitFor(() => expect(tab.result.current.passkeys.list.data?.map((p) => p.name)).toEqual(['Laptop']))
    await act(() => tab.result.current.passkeys.rename.mutateAsync({ id: created.id, name: 'Work laptop' }))
    await waitFor(() => expect(tab.result.current.passkeys.list.data?.map((p) => p.name)).toEqual(['Work laptop']))
    await act(() => tab.result.current.signOut.mutateAsync())

    const signedIn = await act(() => tab.result.current.passkeySignIn.mutateAsync())
    expect(signedIn.email).toBe(user.email)
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ status: 'authenticated', session: { authLevel: 'mfa' } }))
    await waitFor(() => expect(tab.result.current.passkeys.list.data?.[0]?.lastUsedAt).not.toBeNull())

    // A forged assertion is refused (the ceremony is the app's, the verdict the server's).
    await act(() => tab.result.current.signOut.mutateAsync())
    const forging = await openTab(createTestBrowser(server.url), { register: (o) => authenticator.register(o), authenticate: (o) => authenticator.authenticate(o, { forge: true }) })
    const forged = await failure(forging.result.current.passkeySignIn.mutateAsync())
    expect(forged?.status).toBe(401)
    expect(forged?.data?.type).toMatch(/\/passkey-invalid$/)

    // A passkey is a factor: the password alone now asks for it.
    expect(await failure(tab.result.current.signIn.mutateAsync(user))).toBeInstanceOf(MfaRequiredError)
    await waitFor(() => expect(tab.result.current.challenge.methods).toContain('passkey'))
    await act(() => tab.result.current.passkeySignIn.mutateAsync())
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
    expect(tab.result.current.challenge.pending).toBe(false)
    await act(() => tab.result.current.passkeys.remove.mutateAsync(created.id))
    await waitFor(() => expect(tab.result.current.passkeys.list.data).toEqual([]))
    await act(() => tab.result.current.signOut.mutateAsync())
    expect((await failure(tab.result.current.passkeySignIn.mutateAsync()))?.status).toBe(401)
  })
})
