import type { AuthContext } from '../core/auth-context.js'
import type { Exchange } from '../http/exchange.js'
import { readCookie } from '../cookies/cookie-header.js'
import { problem } from '../errors/problem.js'
import { ProblemError } from '../errors/problem-error.js'
import type { TokenStrategy } from './token-strategy.js'

const bearerPattern = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i

/** The routes a Bearer token may call; the native token calls (`/token`, `/revoke`) never need one. */
const bearerRoutes = (method: string, path: string) =>
  (method === 'GET' && (path === '/session' || path === '/sessions')) ||
  (method === 'DELETE' && path.startsWith('/sessions/')) ||
  (method === 'POST' && (path === '/logout' || path === '/logout-all'))

/**
 * `/auth/*` for native clients (`GET /session`, `GET /sessions`, `DELETE /sessions/:id`, `POST /logout`,
 * `POST /logout-all`): a request that carries NO auth cookie (session, access or refresh)
 * may authenticate with `Authorization: Bearer <access token>`. There is no ambient credential, so
 * such a request is exempt from CSRF (`ex.bearer`, `auth.strategy === 'bearer'`). A request with an
 * auth cookie goes the cookie way, Bearer header or not. A Bearer token that does not verify, or
 * whose session has ended, is 401 with `WWW-Authenticate` (RFC 6750).
 */
export async function authenticateBearer(ctx: AuthContext, strategy: TokenStrategy | undefined, ex: Exchange): Promise<void> {
  const header = ex.header('authorization')
  if (ex.auth || !strategy || header === undefined || !/^bearer /i.test(header) || !bearerRoutes(ex.method, ex.path)) return
  const cookie = ex.header('cookie')
  const authCookies = [ctx.cookies.names.session, ctx.cookies.names.access, ctx.cookies.names.refresh]
  if (authCookies.some((name) => readCookie(cookie, name).kind !== 'absent')) return
  const match = header.length <= 8192 ? bearerPattern.exec(header) : null
  const auth = match ? await strategy.authenticateBearer(match[1]!) : null
  if (!auth) {
    throw new ProblemError(problem(401, 'invalid-token', 'Unauthorized', 'The access token is not valid.'), {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    })
  }
  ex.auth = auth
  ex.bearer = true
}
