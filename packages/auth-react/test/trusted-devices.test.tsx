// @vitest-environment happy-dom
// useVerifyMfa's rememberDevice and useTrustedDevices against a real auth-server with
// `secondFactors.rememberDevice` on, through the browser-like fetch (its cookie jar keeps
// __Host-device as a browser would).
import { createTotpCode } from '@acme/auth-testing'
import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AuthProvider, MfaRequiredError, useEnrollTotp, useSession, useSignIn, useSignOut, useTrustedDevices, useVerifyMfa } from '../src/index.js'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { startSecondFactorsTestServer, type SecondFactorsTestServer } from './second-factors-server.js'

let server: SecondFactorsTestServer
beforeAll(async () => {
  server = await startSecondFactorsTestServer({ rememberDevice: true })
})
afterAll(() => server.close())
afterEach(cleanup)

const usePages = () => ({ session: useSession(), signIn: useSignIn(), signOut: useSignOut(), verify: useVerifyMfa(), totp: useEnrollTotp(), devices: useTrustedDevices() })

async function openTab(browser: TestBrowser) {
  const queryClient = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider fetch={browser.fetch} queryClient={queryClient}>
      {children}
    </AuthProvider>
  )
  const tab = renderHook(usePages, { wrapper })
  await waitFor(() => expect(tab.result.current.session.status).toBe('unauthenticated'))
  return tab
}

const nextCode = (secret: string) => {
  server.clock.advance(30_000)
  return createTotpCode(secret, server.clock)
}

describe('remember this device from React', () => {
  it('verify with rememberDevice skips the next challenge; useTrustedDevices lists and forgets the browser', async () => {
    const user = await server.addUser('a long password for devices')
    const browser = createTestBrowser(server.url)
    const tab = await openTab(browser)
    await act(() => tab.result.current.signIn.mutateAsync(user))
    await waitFor(() => expect(tab.result.current.session.status).toBe('authenticated'))
    const enrollment = await act(() => tab.result.current.totp.start.mutateAsync())
    const secret = new URL(enrollment.otpauthUrl).searchParams.get('secret')!
    await act(() => tab.result.current.totp.confirm.mutateAsync(nextCode(secret)))
    await act(() => tab.result.current.signOut.mutateAsync())

    const pending = await act(() => tab.result.current.signIn.mutateAsync(user).then(() => null, (error: unknown) => error))
    expect(pending).toBeInstanceOf(MfaRequiredError)
    await act(() => tab.result.current.verify.mutateAsync({ method: 'totp', code: nextCode(secret), rememberDevice: true }))
    expect(browser.jar.has('__Host-device')).toBe(true)
    await waitFor(() => expect(tab.result.current.devices.list.data).toEqual([expect.objectContaining({ current: true, lastUsedAt: null })]))
    await act(() => tab.result.current.signOut.mutateAsync())

    // Same user, same browser: no challenge, and a one-factor session.
    await act(() => tab.result.current.signIn.mutateAsync(user))
    await waitFor(() => expect(tab.result.current.session).toMatchObject({ status: 'authenticated', session: { authLevel: 'password', amr: ['pwd'] } }))
    await waitFor(() => expect(tab.result.current.devices.list.data?.[0]?.lastUsedAt).toEqual(expect.any(String)))
    const [device] = tab.result.current.devices.list.data!
    await act(() => tab.result.current.devices.forget.mutateAsync(device!.id))
    await waitFor(() => expect(tab.result.current.devices.list.data).toEqual([]))
    await act(() => tab.result.current.signOut.mutateAsync())
    const again = await act(() => tab.result.current.signIn.mutateAsync(user).then(() => null, (error: unknown) => error))
    expect(again).toBeInstanceOf(MfaRequiredError)
  })
})
