import { QueryClient } from '@tanstack/react-query'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthFetch } from './create-auth-fetch.js'
import { urlOf } from './lib/request-parts.js'
import { authQueryKeys } from './query-keys.js'
import type { SessionPayload } from '@acme/auth-core'

const signedIn: SessionPayload = {
  user: { id: 'u-1', email: 'a@example.com', name: 'A', roles: [] },
  session: { id: 's-1', expiresAt: '2100-01-01T00:00:00.000Z' },
  csrfToken: 'session-token',
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } })

/** A server stub: /auth/csrf hands out `anon-token`, everything else answers `answer()`. */
function setup(answer: () => Response = () => json({ ok: true }), session: SessionPayload | undefined = signedIn) {
  const queryClient = new QueryClient()
  if (session) queryClient.setQueryData(authQueryKeys.session(), session)
  const fetch = vi.fn<typeof globalThis.fetch>((input) =>
    Promise.resolve(urlOf(input) === '/auth/csrf' ? json({ csrfToken: 'anon-token' }) : answer()),
  )
  const api = createAuthFetch({ queryClient, fetch })
  const headerOf = (call: number) => new Headers(fetch.mock.calls[call]?.[1]?.headers).get('x-csrf-token')
  return { queryClient, fetch, api, headerOf }
}

describe('createAuthFetch', () => {
  it('sends the session CSRF token on POST, PUT, PATCH and DELETE, and none on GET', async () => {
    const { api, headerOf, fetch } = setup()
    await api('/api/notes')
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) await api('/api/notes', { method, body: {} })
    expect(fetch.mock.calls.map((_, i) => headerOf(i))).toEqual([null, 'session-token', 'session-token', 'session-token', 'session-token'])
  })

  it('sends same-origin credentials', async () => {
    const { api, fetch } = setup()
    await api('/api/notes')
    expect(fetch.mock.calls[0]?.[1]?.credentials).toBe('same-origin')
  })

  it('signed out, fetches one token from /auth/csrf for concurrent requests and keeps it in memory', async () => {
    const { api, fetch, headerOf } = setup(undefined, { user: null })
    await Promise.all([api('/api/a', { method: 'POST' }), api('/api/b', { method: 'POST' })])
    await api('/api/c', { method: 'DELETE' })
    const urls = fetch.mock.calls.map(([input]) => urlOf(input))
    expect(urls.filter((url) => url === '/auth/csrf')).toHaveLength(1)
    expect(urls.indexOf('/auth/csrf')).toBe(0)
    expect([1, 2, 3].map(headerOf)).toEqual(['anon-token', 'anon-token', 'anon-token'])
  })

  it('never sends the token to another origin', async () => {
    const { api, fetch } = setup()
    await api('https://elsewhere.example/hook', { method: 'POST', body: {} })
    expect(new Headers(fetch.mock.calls[0]?.[1]?.headers).has('x-csrf-token')).toBe(false)
  })

  describe('on a page at https://app.example.com', () => {
    afterEach(() => {
      vi.unstubAllGlobals()
    })
    const onPage = () => {
      vi.stubGlobal('location', { href: 'https://app.example.com/notes/1', origin: 'https://app.example.com' })
      return setup()
    }

    it.each(['/\\evil.example/steal', ' //evil.example/steal', '\t//evil.example/steal', '\\\\evil.example/steal', 'https://evil.example/steal', 'https://app.example.com.evil.example/x', 'http://app.example.com/x'])(
      'treats %j as another origin: no CSRF token',
      async (url) => {
        const { api, fetch } = onPage()
        await api(url, { method: 'POST', body: {} })
        expect(fetch).toHaveBeenCalledTimes(1)
        expect(new Headers(fetch.mock.calls[0]?.[1]?.headers).has('x-csrf-token')).toBe(false)
      },
    )

    it.each(['/api/notes', 'api/notes', '../api/notes', 'https://app.example.com/api/notes', 'HTTPS://APP.EXAMPLE.COM:443/api/notes'])(
      'treats %j as the page origin: CSRF token sent',
      async (url) => {
        const { api, headerOf } = onPage()
        await api(url, { method: 'POST', body: {} })
        expect(headerOf(0)).toBe('session-token')
      },
    )
  })

  it('without a location (server side), sends the token only to URLs that stay on the page origin', async () => {
    const { api, fetch } = setup()
    await api('/\\evil.example/steal', { method: 'POST', body: {} })
    await api('/api/notes', { method: 'POST', body: {} })
    expect(fetch.mock.calls.map(([, init]) => new Headers(init?.headers).get('x-csrf-token'))).toEqual([null, 'session-token'])
  })

  it('invalidates the session query on a 401 while signed in', async () => {
    const { api, queryClient } = setup(() => json({ type: 'https://acme.dev/problems/unauthenticated', title: 'Unauthorized', status: 401 }, 401))
    await expect(api('/api/me')).rejects.toMatchObject({ status: 401, data: { status: 401 } })
    expect(queryClient.getQueryState(authQueryKeys.session())?.isInvalidated).toBe(true)
  })

  it('leaves the session alone on a 401 from the sign-in route (wrong password) and once signed out', async () => {
    const unauthorized = () => json({ type: 'https://acme.dev/problems/unauthenticated', title: 'Unauthorized', status: 401 }, 401)
    const signedInCase = setup(unauthorized)
    await expect(signedInCase.api('/auth/login', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 401 })
    expect(signedInCase.queryClient.getQueryState(authQueryKeys.session())?.isInvalidated).toBe(false)

    const signedOutCase = setup(unauthorized, { user: null })
    await expect(signedOutCase.api('/api/me')).rejects.toMatchObject({ status: 401 })
    expect(signedOutCase.queryClient.getQueryState(authQueryKeys.session())?.isInvalidated).toBe(false)
  })

  it('retries nothing: one request per call, even for a 503', async () => {
    const { api, fetch } = setup(() => json({ type: 'x', title: 'Unavailable', status: 503 }, 503))
    await expect(api('/api/notes')).rejects.toMatchObject({ status: 503 })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('drops a stale token after a CSRF 403 and asks the server for the current session', async () => {
    const { api, queryClient } = setup(() => json({ type: 'https://acme.dev/problems/csrf', title: 'Forbidden', status: 403 }, 403), { user: null })
    await expect(api('/api/notes', { method: 'POST' })).rejects.toMatchObject({ status: 403 })
    expect(queryClient.getQueryData(authQueryKeys.csrf())).toBeUndefined()
    expect(queryClient.getQueryState(authQueryKeys.session())?.isInvalidated).toBe(true)
  })

  it('keeps the CSRF header when the caller passes its own ofetch hooks', async () => {
    const { api, headerOf } = setup()
    const onRequest = vi.fn()
    await api('/api/notes', { method: 'POST', onRequest })
    expect(onRequest).toHaveBeenCalled()
    expect(headerOf(0)).toBe('session-token')
  })

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => createAuthFetch({} as never)).toThrow(/options\.queryClient/)
    expect(() => createAuthFetch({ queryClient: new QueryClient(), basePath: 'auth' })).toThrow(/options\.basePath/)
  })
})
