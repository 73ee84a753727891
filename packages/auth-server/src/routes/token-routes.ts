import { isAuthError, type RefreshedTokens } from '@acme/auth-core'
import * as v from 'valibot'
import type { AuthContext } from '../core/auth-context.js'
import { empty, json, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { problem } from '../errors/problem.js'
import { ProblemError, forbidden, unauthorized } from '../errors/problem-error.js'
import { clientOf } from '../strategies/session-strategy.js'
import type { TokenStrategy } from '../strategies/token-strategy.js'

/** The OAuth-shaped answer native clients get (RFC 6749 §5.1). */
export function tokenResponse(pair: RefreshedTokens) {
  return { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: pair.expiresIn, token_type: 'Bearer' as const }
}

const tokenBody = v.object({
  grant_type: v.literal('refresh_token'),
  refresh_token: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
})

/** `POST /refresh` (token strategy): rotates the refresh cookie; 204 with both new cookies. */
export async function refreshRoute(ctx: AuthContext, strategy: TokenStrategy | undefined, ex: Exchange): Promise<Answer> {
  if (!strategy || ctx.config.strategy !== 'token') throw forbidden('strategy', 'This app does not use the token strategy.')
  await strategy.refresh(ex)
  return empty(204)
}

/**
 * `POST /token` (native clients): `grant_type=refresh_token` rotates; a reused refresh token is
 * 401 and its whole family is revoked (core does it). Form-encoded or JSON bodies.
 */
export async function tokenRoute(ctx: AuthContext, strategy: TokenStrategy | undefined, ex: Exchange): Promise<Answer> {
  if (!strategy || ctx.config.tokens?.nativeClients !== true) throw forbidden('native-clients-disabled', 'Native clients are not enabled.')
  const parsed = v.safeParse(tokenBody, ex.body)
  if (!parsed.success) {
    throw new ProblemError(problem(400, 'invalid-request', 'Bad Request', 'Expected grant_type=refresh_token and a refresh_token.'))
  }
  try {
    return json(tokenResponse(await strategy.rotate(ex, parsed.output.refresh_token)))
  } catch (error) {
    if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
    throw unauthorized('The refresh token is not valid.')
  }
}

/** The part of `POST /login` for native clients: tokens in the body, no cookie. */
export async function nativeSignIn(
  ctx: AuthContext,
  strategy: TokenStrategy | undefined,
  ex: Exchange,
  user: Parameters<TokenStrategy['issuePair']>[1],
  level: Parameters<TokenStrategy['issuePair']>[2] = 'password',
) {
  if (!strategy || ctx.config.tokens?.nativeClients !== true) throw forbidden('native-clients-disabled', 'Native clients are not enabled.')
  return tokenResponse(await strategy.issuePair(clientOf(ex), user, level, { native: true }))
}

const revokeBody = v.object({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  token_type_hint: v.optional(v.string()),
})

/**
 * `POST /revoke` (native clients, RFC 7009): `token=<refresh token>`, form-encoded or JSON. Ends
 * the token's family and its session; 200 whether or not the token was known (no oracle).
 */
export async function revokeRoute(ctx: AuthContext, strategy: TokenStrategy | undefined, ex: Exchange): Promise<Answer> {
  if (!strategy || ctx.config.tokens?.nativeClients !== true) throw forbidden('native-clients-disabled', 'Native clients are not enabled.')
  const parsed = v.safeParse(revokeBody, ex.body)
  if (!parsed.success) throw new ProblemError(problem(400, 'invalid-request', 'Bad Request', 'Expected a token to revoke.'))
  await strategy.revoke(ex, parsed.output.token)
  return empty(200)
}

/** Whether a request is one of the native calls exempt from CSRF (they carry and set no cookie). */
export function isNativeCall(ex: Exchange): boolean {
  if (ex.method !== 'POST') return false
  const path = ex.path.length > 1 && ex.path.endsWith('/') ? ex.path.slice(0, -1) : ex.path
  if (path === '/token' || path === '/revoke') return true
  return path === '/login' && (ex.body as { client?: unknown } | undefined)?.client === 'native'
}
