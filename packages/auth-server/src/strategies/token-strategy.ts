import { isAuthError, type AccessTokenClaims, type AccessTokenVerifier, type RefreshedTokens, type SessionManager } from '@acme/auth-core'
import { verifyNow } from '@acme/auth-core/internal'
import { decodeJwt } from 'jose'
import type { AuthTokenOptions } from '../config/auth-options.js'
import { clearAuthCookies, clearLegacyRefreshCookie, setAuthCookie, type CookiePolicy } from '../cookies/cookie-policy.js'
import type { Exchange } from '../http/exchange.js'
import { readCookie } from '../cookies/cookie-header.js'
import { badRequest, unauthorized } from '../errors/problem-error.js'
import type { RequestAuth } from '../core/request-auth.js'
import { clientOf, createSessionFor, isNativeSession, requireCookieWrites } from './session-strategy.js'
import { levelOf, type ClientInfo, type SessionLevel, type Strategy } from './strategy.js'
import type { DirectoryUser } from '../core/user-directory.js'

/** The request's identity from verified claims; its lists are its own (the cache's claims are frozen and shared). */
export function authFromClaims(claims: AccessTokenClaims, strategy: RequestAuth['strategy']): RequestAuth {
  return {
    user: { id: claims.sub, roles: [...claims.roles] },
    session: {
      id: claims.sid,
      expiresAt: claims.exp * 1000,
      authLevel: claims.acr ?? 'unknown',
      // Without auth_time the freshest provable moment is when this token was issued… which is
      // not a sign-in. 0 makes requireFreshSession ask for one: fail closed.
      authenticatedAt: claims.auth_time === undefined ? 0 : claims.auth_time * 1000,
      // RFC 8176 `amr` as the token carries it (a token minted before it did: none).
      amr: claims.amr ? [...claims.amr] : [],
    },
    strategy,
  }
}

/** The token strategy plus what its extra routes need. */
export interface TokenStrategy extends Strategy {
  /** `POST /refresh`: rotates the refresh cookie; both cookies are replaced. */
  refresh(ex: Exchange): Promise<void>
  /**
   * A new session and token pair for a user. `native: true` (native sign-in, answered as JSON)
   * gives the access tokens the native audience.
   */
  issuePair(client: ClientInfo, user: DirectoryUser, level: string | SessionLevel, options?: { native?: boolean }): Promise<RefreshedTokens & { sessionId: string }>
  /** Rotates a refresh token; core refuses one whose session has ended and slides the session. */
  rotate(ex: Exchange, refreshToken: unknown): Promise<RefreshedTokens>
  /** `POST /revoke`: ends the family of a refresh token and its session (nothing for an unknown token). */
  revoke(ex: Exchange, refreshToken: unknown): Promise<void>
  /**
   * `Authorization: Bearer <access token>` on `/auth/*`: the identity when the token verifies (the
   * app's or the native audience) and its session is still live, else `null`.
   */
  authenticateBearer(token: string): Promise<RequestAuth | null>
}

/**
 * The token strategy: `__Host-access` holds a short access JWT verified locally (no store read),
 * `__Secure-refresh` (Path = the auth prefix, SameSite=Strict) an opaque rotating refresh token.
 * A server-side session still exists for the device list and logout-all; each refresh slides it,
 * and ending it stops the next refresh, so revocation lags by at most the access-token lifetime.
 */
export function createTokenStrategy(
  sessions: SessionManager,
  tokens: AuthTokenOptions,
  verifiers: { cookie: AccessTokenVerifier; native: AccessTokenVerifier | undefined },
  cookies: CookiePolicy,
): TokenStrategy {
  const families = tokens.refreshFamilies
  const read = (ex: Exchange, kind: 'access' | 'refresh') => {
    const lookup = readCookie(ex.header('cookie'), cookies.names[kind])
    if (lookup.kind === 'duplicate') {
      clearAuthCookies(ex, cookies, ['access', 'refresh', 'csrf'])
      clearLegacyRefreshCookie(ex, cookies)
      throw badRequest(`The ${kind} cookie was sent more than once.`)
    }
    return lookup.kind === 'value' ? lookup.value : undefined
  }

  const writeCookies = (ex: Exchange, pair: RefreshedTokens) => {
    const now = Date.now()
    setAuthCookie(ex, cookies, 'access', pair.accessToken, pair.accessTokenExpiresAt - now)
    clearLegacyRefreshCookie(ex, cookies)
    setAuthCookie(ex, cookies, 'refresh', pair.refreshToken, pair.refreshTokenExpiresAt - now)
  }

  const verifyOrNull = async (verifier: AccessTokenVerifier, token: string) => {
    try {
      return await verifier.verify(token)
    } catch (error) {
      if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
      return null
    }
  }

  const strategy: TokenStrategy = {
    kind: 'token',

    authenticate(ex) {
      const token = read(ex, 'access')
      if (token === undefined) return null
      // A token verified before (the cache, its key still published) answers at once.
      const cached = verifyNow(verifiers.cookie, token)
      if (cached) return authFromClaims(cached, 'token')
      // Expired or otherwise invalid: anonymous until the client refreshes.
      return verifyOrNull(verifiers.cookie, token).then((claims) => (claims ? authFromClaims(claims, 'token') : null))
    },

    async authenticateBearer(token) {
      const claims = (await verifyOrNull(verifiers.cookie, token)) ?? (verifiers.native ? await verifyOrNull(verifiers.native, token) : null)
      if (!claims) return null
      // A signed token outlives its session by design; the /auth routes must not act on an ended one.
      // Only a native sign-in's tokens count: the BFF's tokens (same audience, handed to an upstream)
      // and a browser's access cookie never sign anyone out through a Bearer header.
      const session = await sessions.touch(claims.sid)
      return session && session.userId === claims.sub && isNativeSession(session) ? authFromClaims(claims, 'bearer') : null
    },

    async issuePair(client, user, level, options = {}) {
      const { authLevel, amr } = levelOf(level)
      const { session } = await createSessionFor(sessions, user, level, client, { native: options.native === true })
      const aud = options.native === true ? tokens.nativeAudience : undefined
      const pair = await families.issue({
        sub: user.id,
        sid: session.id,
        roles: user.roles,
        authTime: Math.floor(session.authenticatedAt / 1000),
        acr: authLevel,
        ...(amr === undefined ? {} : { amr }),
        ...(aud === undefined ? {} : { aud }),
      })
      return { ...pair, sessionId: session.id }
    },

    async issue(user, level, client) {
      const pair = await strategy.issuePair(client, user, level)
      const now = Date.now()
      return {
        auth: authFromClaims(await verifiers.cookie.verify(pair.accessToken), 'token'),
        cookies: [
          { kind: 'access', value: pair.accessToken, maxAgeMs: pair.accessTokenExpiresAt - now },
          { kind: 'refresh', value: pair.refreshToken, maxAgeMs: pair.refreshTokenExpiresAt - now },
        ],
      }
    },

    async signIn(ex, user, level) {
      requireCookieWrites(ex, 'signIn')
      // Fixation: a refresh family the client brought ends here with its session, whoever's it was.
      const previous = read(ex, 'refresh')
      if (previous !== undefined) await families.revokeToken(previous, clientOf(ex))
      const issued = await strategy.issue(user, level, clientOf(ex))
      for (const cookie of issued.cookies) setAuthCookie(ex, cookies, cookie.kind, cookie.value, cookie.maxAgeMs)
      return issued.auth
    },

    // One core call: core checks the family's session by id, slides it, and revokes the family
    // when the session has ended.
    rotate: (ex, refreshToken) => families.rotate(refreshToken, clientOf(ex)),

    async revoke(ex, refreshToken) {
      await families.revokeToken(refreshToken, clientOf(ex))
    },

    async refresh(ex) {
      requireCookieWrites(ex, 'refresh')
      const token = read(ex, 'refresh')
      if (token === undefined) throw unauthorized()
      try {
        writeCookies(ex, await strategy.rotate(ex, token))
      } catch (error) {
        if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
        // Reused (family revoked by core), expired, unknown or ended: both cookies go.
        clearAuthCookies(ex, cookies, ['access', 'refresh'])
        throw unauthorized()
      }
    },

    async signOut(ex, reason = 'logout') {
      // The refresh cookie alone is enough (the access cookie may have lapsed): core ends the
      // family and its session.
      const refresh = read(ex, 'refresh')
      if (refresh !== undefined) await families.revokeToken(refresh, clientOf(ex))
      if (ex.auth) await sessions.revoke(ex.auth.session.id, { userId: ex.auth.user.id, reason }, clientOf(ex))
      clearAuthCookies(ex, cookies, ['access', 'refresh', 'csrf'])
    },

    clearCookies(ex) {
      clearAuthCookies(ex, cookies, ['access', 'refresh', 'csrf'])
    },

    async credentialOwner(ex) {
      const refresh = read(ex, 'refresh')
      if (refresh === undefined) return null
      const owner = await families.inspect(refresh)
      if (owner?.live !== true) return null
      // A revoked device's family lives until its next refresh; it must not sign the user out elsewhere.
      const session = await sessions.touch(owner.sessionId)
      return session?.userId === owner.userId ? { userId: owner.userId, sessionId: owner.sessionId } : null
    },

    async renew(ex, user) {
      // New tokens the browser would never receive would sign it out: keep the current ones.
      if (!ex.canWriteCookies) return null
      const refresh = read(ex, 'refresh')
      if (refresh !== undefined) {
        // Under the auth prefix the refresh cookie is visible: a new pair, minted from the grant.
        try {
          const pair = await strategy.rotate(ex, refresh)
          writeCookies(ex, pair)
          return authFromClaims(await verifiers.cookie.verify(pair.accessToken), 'token')
        } catch (error) {
          if (isAuthError(error, 'ERR_STORE_UNAVAILABLE')) throw error
          return null
        }
      }
      // Elsewhere only the access cookie is: a new access token for the same session, new roles.
      const auth = ex.auth
      if (!auth || auth.strategy !== 'token' || auth.user.id !== user.id) return null
      if (!(await sessions.touch(auth.session.id))) return null
      const issued = await tokens.accessTokens.issue({
        sub: user.id,
        sid: auth.session.id,
        roles: user.roles,
        acr: auth.session.authLevel,
        ...(auth.session.amr.length > 0 ? { amr: auth.session.amr } : {}),
        ...(auth.session.authenticatedAt > 0 ? { authTime: Math.floor(auth.session.authenticatedAt / 1000) } : {}),
      })
      setAuthCookie(ex, cookies, 'access', issued.token, issued.expiresAt - Date.now())
      return authFromClaims(await verifiers.cookie.verify(issued.token), 'token')
    },

    async elevate(ex, user, level) {
      // A family's grant keeps its `acr` for life: a raised level needs a new session and family,
      // in place of the one this request's refresh cookie holds (signIn ends that one).
      const auth = ex.auth
      if (!ex.canWriteCookies || auth?.strategy !== 'token' || auth.user.id !== user.id) return null
      if (!(await sessions.touch(auth.session.id))) return null
      await sessions.revoke(auth.session.id, { userId: user.id, reason: 'replaced' }, clientOf(ex))
      return strategy.signIn(ex, user, level)
    },

    async csrfBinding(ex) {
      if (ex.auth) return ex.auth.session.id
      // An expired access token still names its session; the CSRF token's HMAC is what protects,
      // so reading the sid without checking the signature only picks which binding to check.
      const token = readCookie(ex.header('cookie'), cookies.names.access)
      if (token.kind === 'value') {
        try {
          const { sid } = decodeJwt(token.value)
          if (typeof sid === 'string') return sid
        } catch {
          // not a JWT: fall through
        }
      }
      // Only the refresh cookie left (the browser dropped the lapsed access cookie): its session.
      const refresh = readCookie(ex.header('cookie'), cookies.names.refresh)
      if (refresh.kind !== 'value') return ''
      return (await families.inspect(refresh.value))?.sessionId ?? ''
    },
  }
  return strategy
}
