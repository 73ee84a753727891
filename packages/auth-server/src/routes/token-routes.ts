import { isAuthError, type RefreshedTokens } from '@acme/auth-core'
import type { RequestHandler } from 'express'
import * as v from 'valibot'
import type { AuthContext } from '../auth-context.js'
import { problem } from '../problem.js'
import { ProblemError, forbidden, unauthorized } from '../problem-error.js'
import { clientOf } from '../session-strategy.js'
import type { TokenStrategy } from '../token-strategy.js'

/** The OAuth-shaped answer native clients get (RFC 6749 §5.1). */
export function tokenResponse(pair: RefreshedTokens) {
  return { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: pair.expiresIn, token_type: 'Bearer' as const }
}

const tokenBody = v.object({
  grant_type: v.literal('refresh_token'),
  refresh_token: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
})

/** `POST /refresh` (token strategy): rotates the refresh cookie; 204 with both new cookies. */
export function refreshRoute(ctx: AuthContext, strategy: TokenStrategy | undefined): RequestHandler {
  return async (req, res) => {
    if (!strategy || ctx.config.strategy !== 'token') throw forbidden('strategy', 'This app does not use the token strategy.')
    await strategy.refresh(req, res)
    res.status(204).end()
  }
}

/**
 * `POST /token` (native clients): `grant_type=refresh_token` rotates; a reused refresh token is
 * 401 and its whole family is revoked (core does it). Form-encoded or JSON bodies.
 */
export function tokenRoute(ctx: AuthContext, strategy: TokenStrategy | undefined): RequestHandler {
  return async (req, res) => {
    if (!strategy || ctx.config.tokens?.nativeClients !== true) throw forbidden('native-clients-disabled', 'Native clients are not enabled.')
    const parsed = v.safeParse(tokenBody, req.body)
    if (!parsed.success) {
      throw new ProblemError(problem(400, 'invalid-request', 'Bad Request', 'Expected grant_type=refresh_token and a refresh_token.'))
    }
    try {
      res.json(tokenResponse(await strategy.rotate(req, parsed.output.refresh_token)))
    } catch (error) {
      if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
      throw unauthorized('The refresh token is not valid.')
    }
  }
}

/** The part of `POST /login` for native clients: tokens in the body, no cookie. */
export async function nativeSignIn(
  ctx: AuthContext,
  strategy: TokenStrategy | undefined,
  req: Parameters<RequestHandler>[0],
  user: Parameters<TokenStrategy['issuePair']>[1],
) {
  if (!strategy || ctx.config.tokens?.nativeClients !== true) throw forbidden('native-clients-disabled', 'Native clients are not enabled.')
  return tokenResponse(await strategy.issuePair(clientOf(req), user, 'password'))
}

/** Whether a request is one of the two native calls exempt from CSRF (they carry and set no cookie). */
export function isNativeCall(req: Parameters<RequestHandler>[0]): boolean {
  if (req.method !== 'POST') return false
  if (req.path === '/token') return true
  return req.path === '/login' && (req.body as { client?: unknown } | undefined)?.client === 'native'
}
