import { isAuthError, type AccessTokenClaims, type AccessTokenVerifier, type RefreshedTokens, type SessionManager } from '@acme/auth-core'
import type { Request, Response } from 'express'
import { decodeJwt } from 'jose'
import type { AuthTokenOptions } from './auth-options.js'
import { clearAuthCookies, setAuthCookie, type CookiePolicy } from './cookie-policy.js'
import { readCookie } from './lib/cookie-header.js'
import { badRequest, unauthorized } from './problem-error.js'
import type { RequestAuth } from './request-auth.js'
import { clientOf, createSessionFor } from './session-strategy.js'
import type { ClientInfo, Strategy } from './strategy.js'
import type { DirectoryUser } from './user-directory.js'

export function authFromClaims(claims: AccessTokenClaims, strategy: RequestAuth['strategy']): RequestAuth {
  return {
    user: { id: claims.sub, roles: claims.roles },
    session: {
      id: claims.sid,
      expiresAt: claims.exp * 1000,
      authLevel: claims.acr ?? 'unknown',
      // Without auth_time the freshest provable moment is when this token was issued… which is
      // not a sign-in. 0 makes requireFreshSession ask for one: fail closed.
      authenticatedAt: claims.auth_time === undefined ? 0 : claims.auth_time * 1000,
    },
    strategy,
  }
}

/** The token strategy plus what its extra routes need. */
export interface TokenStrategy extends Strategy {
  /** `POST /refresh`: rotates the refresh cookie; both cookies are replaced. */
  refresh(req: Request, res: Response): Promise<void>
  /** A new session and token pair for a user (native sign-in answers it as JSON). */
  issuePair(client: ClientInfo, user: DirectoryUser, authLevel: string): Promise<RefreshedTokens & { sessionId: string }>
  /** Rotates a refresh token, refusing one whose session was revoked. */
  rotate(req: Request, refreshToken: unknown): Promise<RefreshedTokens>
}

/**
 * The token strategy: `__Host-access` holds a short access JWT verified locally (no store read),
 * `__Secure-refresh` (Path = the refresh route, SameSite=Strict) an opaque rotating refresh token.
 * A server-side session still exists for the device list and logout-all; revoking it stops the
 * next refresh, so revocation lags by at most the access-token lifetime.
 */
export function createTokenStrategy(
  sessions: SessionManager,
  tokens: AuthTokenOptions,
  verifier: AccessTokenVerifier,
  cookies: CookiePolicy,
): TokenStrategy {
  const read = (req: Request, res: Response, kind: 'access' | 'refresh') => {
    const lookup = readCookie(req.headers.cookie, cookies.names[kind])
    if (lookup.kind === 'duplicate') {
      clearAuthCookies(res, cookies, ['access', 'refresh', 'csrf'])
      throw badRequest(`The ${kind} cookie was sent more than once.`)
    }
    return lookup.kind === 'value' ? lookup.value : undefined
  }

  const writeCookies = (res: Response, pair: RefreshedTokens) => {
    const now = Date.now()
    setAuthCookie(res, cookies, 'access', pair.accessToken, pair.accessTokenExpiresAt - now)
    setAuthCookie(res, cookies, 'refresh', pair.refreshToken, pair.refreshTokenExpiresAt - now)
  }

  /** Whether the session behind a family is still live (revoked devices must not refresh). */
  const sessionIsLive = async (userId: string, sessionId: string) =>
    (await sessions.listForUser(userId)).some((session) => session.id === sessionId)

  const strategy: TokenStrategy = {
    kind: 'token',

    async authenticate(req, res) {
      const token = read(req, res, 'access')
      if (token === undefined) return null
      try {
        return authFromClaims(await verifier.verify(token), 'token')
      } catch (error) {
        if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
        // Expired or otherwise invalid: anonymous until the client refreshes.
        return null
      }
    },

    async issuePair(client, user, authLevel) {
      const { session } = await createSessionFor(sessions, user, authLevel, client)
      const pair = await tokens.refreshFamilies.issue({
        sub: user.id,
        sid: session.id,
        roles: user.roles,
        authTime: Math.floor(session.authenticatedAt / 1000),
        acr: authLevel,
      })
      return { ...pair, sessionId: session.id }
    },

    async issue(user, authLevel, client) {
      const pair = await strategy.issuePair(client, user, authLevel)
      const now = Date.now()
      return {
        auth: authFromClaims(await verifier.verify(pair.accessToken), 'token'),
        cookies: [
          { kind: 'access', value: pair.accessToken, maxAgeMs: pair.accessTokenExpiresAt - now },
          { kind: 'refresh', value: pair.refreshToken, maxAgeMs: pair.refreshTokenExpiresAt - now },
        ],
      }
    },

    async signIn(req, res, user, authLevel) {
      // Fixation: a refresh family the client brought ends here, whoever it belonged to.
      const previous = read(req, res, 'refresh')
      if (previous !== undefined) await tokens.refreshFamilies.revokeToken(previous, clientOf(req)).catch(() => false)
      const issued = await strategy.issue(user, authLevel, clientOf(req))
      for (const cookie of issued.cookies) setAuthCookie(res, cookies, cookie.kind, cookie.value, cookie.maxAgeMs)
      return issued.auth
    },

    async rotate(req, refreshToken) {
      const pair = await tokens.refreshFamilies.rotate(refreshToken, clientOf(req))
      const claims = decodeJwt(pair.accessToken) as unknown as AccessTokenClaims
      if (!(await sessionIsLive(claims.sub, claims.sid))) {
        await tokens.refreshFamilies.revokeFamily(pair.familyId, clientOf(req))
        throw unauthorized('This session has ended.')
      }
      return pair
    },

    async refresh(req, res) {
      const token = read(req, res, 'refresh')
      if (token === undefined) throw unauthorized()
      try {
        writeCookies(res, await strategy.rotate(req, token))
      } catch (error) {
        if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
        // Reused (family revoked by core), expired, unknown or ended: both cookies go.
        clearAuthCookies(res, cookies, ['access', 'refresh'])
        throw unauthorized()
      }
    },

    async signOut(req, res) {
      const refresh = read(req, res, 'refresh')
      if (refresh !== undefined) await tokens.refreshFamilies.revokeToken(refresh, clientOf(req)).catch(() => false)
      if (req.auth) await sessions.revoke(req.auth.session.id, { userId: req.auth.user.id }, clientOf(req))
      clearAuthCookies(res, cookies, ['access', 'refresh', 'csrf'])
    },

    clearCookies(res) {
      clearAuthCookies(res, cookies, ['access', 'refresh', 'csrf'])
    },

    csrfBinding(req) {
      if (req.auth) return req.auth.session.id
      // An expired access token still names its session; the CSRF token's HMAC is what protects,
      // so reading the sid without checking the signature only picks which binding to check.
      const token = readCookie(req.headers.cookie, cookies.names.access)
      if (token.kind !== 'value') return ''
      try {
        const { sid } = decodeJwt(token.value)
        return typeof sid === 'string' ? sid : ''
      } catch {
        return ''
      }
    },
  }
  return strategy
}
