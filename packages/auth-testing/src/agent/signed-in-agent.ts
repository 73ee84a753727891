import type { RequestListener, Server } from 'node:http'
import type { Agent, Test } from 'supertest'
import { cookieHeader, parseCookieHeader, rememberSetCookies } from './cookie-jar.js'

/** A session as `auth.issueSession(user)` of `@acme/auth-server` returns it. */
export interface IssuedTestSession<Identity = unknown> {
  /** The `Cookie` header value that carries the session (and the CSRF cookie). */
  cookie: string
  csrfToken: string
  /** What `req.auth` will be for requests that carry it. */
  auth: Identity
}

/** Anything that issues sessions without a request: `createAuth()` of `@acme/auth-server`, taken structurally. */
export interface SessionIssuer<User, Identity = unknown> {
  issueSession(user: User, options?: { authLevel?: string }): Promise<IssuedTestSession<Identity>>
}

/** What supertest can send requests to: an Express app (or any request listener), a server, or a URL. */
export type AgentTarget = RequestListener | Server | string

/** Options of {@link signedInAgent}. */
export interface SignedInAgentOptions {
  /**
   * The `Origin` sent with unsafe requests: one of the app's `http.origin`.
   * @default 'http://localhost:3000'
   */
  origin?: string
  /** The session's authentication level, e.g. `'mfa'`. @default the server's ('password') */
  authLevel?: string
}

/** A supertest agent for one signed-in user; see {@link signedInAgent}. */
export type SignedInAgent<Identity = unknown> = Agent & {
  /** What `issueSession` returned: the cookie, the CSRF token and the identity (`auth.session.id`, …). */
  readonly issued: IssuedTestSession<Identity>
}

const unsafe = ['post', 'put', 'patch', 'delete', 'del'] as const
const safe = ['get', 'head', 'options'] as const

/**
 * A supertest agent already signed in as `user`: the session is created for real in the app's
 * store by `auth.issueSession(user)` (no sign-in round trip), every request carries its cookies,
 * and POST, PUT, PATCH and DELETE also carry `x-csrf-token` and `Origin`, as auth-react sends them.
 * Cookies the app sets later (a rotated session, a cleared cookie on sign-out) replace or drop the
 * issued ones, as in a browser.
 *
 * @example
 * ```ts
 * import { createTestUsers, signedInAgent } from '@acme/auth-testing'
 *
 * const { alice } = await createTestUsers()
 * const agent = await signedInAgent(app, auth, alice, { origin: 'https://app.example.com' })
 * await agent.get('/api/me').expect(200)
 * await agent.post('/auth/logout').expect(204)
 * await agent.get('/api/me').expect(401)
 * ```
 */
export async function signedInAgent<User, Identity>(
  app: AgentTarget,
  auth: SessionIssuer<User, Identity>,
  user: User,
  options: SignedInAgentOptions = {},
): Promise<SignedInAgent<Identity>> {
  if (typeof auth?.issueSession !== 'function') {
    throw new TypeError('signedInAgent: auth must have issueSession(user) (createAuth() of @acme/auth-server)')
  }
  const origin = options.origin ?? 'http://localhost:3000'
  const issued = await auth.issueSession(user, options.authLevel === undefined ? undefined : { authLevel: options.authLevel })
  const jar = parseCookieHeader(issued.cookie)
  // The CSRF cookie is the one holding the token; its name depends on the server's cookie policy.
  const csrfCookie = [...jar].find(([, value]) => value === issued.csrfToken)?.[0]
  const { default: supertest } = await import('supertest')
  const agent = supertest.agent(app)

  const prepare = (request: Test, withCsrf: boolean): Test => {
    request.on('response', (response: { headers: Record<string, unknown> }) => rememberSetCookies(jar, response.headers['set-cookie']))
    const cookie = cookieHeader(jar)
    if (cookie) request.set('Cookie', cookie)
    if (withCsrf) {
      request.set('x-csrf-token', (csrfCookie && jar.get(csrfCookie)) ?? issued.csrfToken)
      request.set('Origin', origin)
    }
    return request
  }
  for (const method of [...safe, ...unsafe]) {
    const original = agent[method].bind(agent)
    agent[method] = (url: string) => prepare(original(url), (unsafe as readonly string[]).includes(method))
  }
  return Object.assign(agent, { issued })
}
