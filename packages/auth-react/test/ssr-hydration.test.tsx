// @vitest-environment happy-dom
// Server rendering with the session the server read, then hydration in the "browser": the page
// is signed in from the first paint, and hydrating makes no session request.
import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, waitFor } from '@testing-library/react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, useSession, useSignOut, type SessionPayload } from '../src/index.js'
import type { Express } from 'express'
import type { Auth } from '@acme/auth-server'
import { createTestBrowser, type TestBrowser } from './browser-fetch.js'
import { spyOnBrowserStorage, type StorageSpies } from './storage-spies.js'
import { startTestServer, type TestServer } from './test-server.js'

let server: TestServer
let storage: StorageSpies
let root: Root | undefined

beforeAll(async () => {
  server = await startTestServer('session', serverRenderedPage)
})
afterAll(() => server.close())
beforeEach(() => {
  storage = spyOnBrowserStorage()
})
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  cleanup()
  const touched = storage.touched()
  storage.restore()
  expect(touched).toEqual([])
})

function Header() {
  const session = useSession()
  const signOut = useSignOut()
  if (session.status === 'loading') return <header>…</header>
  if (session.status === 'unauthenticated') return <header>Sign in</header>
  return (
    <header>
      <span>{session.user.name}</span>
      <button onClick={() => signOut.mutate()}>Sign out</button>
    </header>
  )
}

function App({ session, browser }: { session?: SessionPayload; browser: TestBrowser }) {
  // A fresh QueryClient per render, as on a server handling one request.
  return (
    <AuthProvider {...(session ? { initialSession: session } : {})} fetch={browser.fetch} queryClient={new QueryClient()}>
      <Header />
    </AuthProvider>
  )
}

/** Signs `browser` in over HTTP, then reads the session the way a server renderer would. */
async function signedInSession(browser: TestBrowser): Promise<SessionPayload> {
  const { csrfToken } = (await (await browser.fetch('/auth/csrf')).json()) as { csrfToken: string }
  const login = await browser.fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify({ email: 'alice@example.com', password: 'alice-password' }),
  })
  expect(login.status).toBe(200)
  return (await (await browser.fetch('/auth/session')).json()) as SessionPayload
}

function hydrate(html: string, element: React.ReactElement) {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const recoverable = vi.fn()
  act(() => {
    root = hydrateRoot(container, element, { onRecoverableError: recoverable })
  })
  return { container, recoverable }
}

/** The README's server rendering recipe, verbatim but for `<Header />` standing in for `<App />`. */
function serverRenderedPage(app: Express, auth: Auth) {
  app.get('/', async (req, res) => {
    // What GET /auth/session would answer for this request; it may set a fresh CSRF cookie on res.
    const session = await auth.sessionPayload(req, res)
    const html = renderToString(<AuthProvider initialSession={session}><Header /></AuthProvider>)
    // `<` escaped: the JSON sits inside a <script> element.
    const data = JSON.stringify(session).replace(/</g, '\\u003c')
    res.set('Cache-Control', 'no-store') // the page holds a per-user payload
    res.send(`<div id="root">${html}</div><script id="session" type="application/json">${data}</script><script type="module" src="/client.js"></script>`)
  })
}

describe('server rendering and hydration', () => {
  it('the README recipe: the page the server rendered with auth.sessionPayload() hydrates signed in, with no request', async () => {
    const browser = createTestBrowser(server.url)
    await signedInSession(browser)
    const page = await browser.fetch('/')
    expect(page.headers.get('cache-control')).toBe('no-store')
    // The page minus its module script (this test is the client script).
    document.body.innerHTML = (await page.text()).replace('<script type="module" src="/client.js"></script>', '')
    expect(document.getElementById('root')!.textContent).toContain('Alice')
    // client.tsx of the recipe:
    const session = JSON.parse(document.getElementById('session')?.textContent ?? 'null') as SessionPayload
    const before = browser.sent.length
    const recoverable = vi.fn()
    act(() => {
      root = hydrateRoot(
        document.getElementById('root')!,
        <AuthProvider initialSession={session} fetch={browser.fetch}>
          <Header />
        </AuthProvider>,
        { onRecoverableError: recoverable },
      )
    })
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(recoverable).not.toHaveBeenCalled()
    expect(browser.sent.slice(before)).toEqual([])
    // The embedded CSRF token is the one the browser's cookie holds: sign-out is accepted.
    act(() => document.querySelector('button')!.click())
    await waitFor(() => expect(document.getElementById('root')!.textContent).toBe('Sign in'))
    expect(browser.sent.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /auth/logout'])
  })

  it("renders the user's name on the server and hydrates without a session request or a mismatch", async () => {
    const browser = createTestBrowser(server.url)
    const session = await signedInSession(browser)
    const html = renderToString(<App session={session} browser={browser} />)
    expect(html).toContain('Alice')

    const before = browser.sent.length
    const { container, recoverable } = hydrate(html, <App session={session} browser={browser} />)
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))

    expect(container.textContent).toContain('Alice')
    expect(recoverable).not.toHaveBeenCalled()
    expect(browser.sent.slice(before)).toEqual([])
  })

  it('signs out after hydration with the CSRF token the server rendered, fetching none', async () => {
    const browser = createTestBrowser(server.url)
    const session = await signedInSession(browser)
    const html = renderToString(<App session={session} browser={browser} />)
    const before = browser.sent.length
    const { container } = hydrate(html, <App session={session} browser={browser} />)

    act(() => container.querySelector('button')!.click())
    await waitFor(() => expect(container.textContent).toBe('Sign in'))
    const sent = browser.sent.slice(before)
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /auth/logout'])
    expect(sent[0]!.headers['x-csrf-token']).toBe(session.user ? session.csrfToken : 'unreachable')
  })

  it('renders signed out from { user: null }, and loading with no initialSession', () => {
    const browser = createTestBrowser(server.url)
    expect(renderToString(<App session={{ user: null }} browser={browser} />)).toContain('Sign in')
    expect(renderToString(<App browser={browser} />)).toContain('…')
    expect(browser.sent).toEqual([])
  })
})
