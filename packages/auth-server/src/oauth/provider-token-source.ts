import { createHash } from 'node:crypto'
import type { Clock } from '@acme/auth-core'
import * as client from 'openid-client'
import type { BearerTokenSource } from '../bff/bff-proxy.js'
import type { BearerToken } from '../bff/bearer-token-cache.js'
import { problemErrorOf } from '../errors/to-problem.js'
import { OAuthError } from './oauth-error.js'
import type { ProviderClient } from './oauth-provider.js'
import { isUnreachable } from './provider-failure.js'
import { recordFrom, type ProviderTokenRecord, type ProviderTokenVault } from './provider-tokens.js'

/** Refresh this long before the access token expires (the BFF's cache asks 30 s ahead). */
const refreshAheadMs = 30_000
const maxRemembered = 50_000

/**
 * The BFF's `provider` mode: the session's access token from its provider, refreshed (rotating
 * the refresh token when the provider does) when it is about to expire, or when it was already
 * handed out once (the BFF asks again only near expiry or after the upstream refused it).
 * Refreshes are single-flight per session, within this process.
 */
export function createProviderTokenSource(
  providers: ReadonlyMap<string, ProviderClient>,
  vault: ProviderTokenVault,
  clock: Clock,
  keepMs: number,
  only: string | undefined,
): BearerTokenSource {
  const inFlight = new Map<string, Promise<BearerToken>>()
  const handedOut = new Map<string, string>()

  const remember = (sessionId: string, token: string) => {
    handedOut.delete(sessionId)
    handedOut.set(sessionId, fingerprint(token))
    if (handedOut.size > maxRemembered) {
      const oldest = handedOut.keys().next()
      if (!oldest.done) handedOut.delete(oldest.value)
    }
  }

  const refresh = async (sessionId: string, record: ProviderTokenRecord, provider: ProviderClient): Promise<BearerToken> => {
    if (record.refreshToken === undefined) throw reauthenticate(vault, sessionId, 'no refresh token')
    let fresh: ProviderTokenRecord
    try {
      const config = await provider.configuration()
      const tokens = await client.refreshTokenGrant(config, record.refreshToken)
      fresh = recordFrom(record.provider, tokens, clock.now(), record)
    } catch (error) {
      if (error instanceof client.ResponseBodyError && error.status < 500) throw reauthenticate(vault, sessionId, error.error)
      if (error instanceof OAuthError || isUnreachable(error)) {
        throw problemErrorOf(new OAuthError('ERR_OAUTH_PROVIDER_UNAVAILABLE', 'refresh failed', { cause: error }))
      }
      throw error
    }
    await vault.save(sessionId, fresh, clock.now() + keepMs)
    remember(sessionId, fresh.accessToken)
    return { token: fresh.accessToken, expiresAt: fresh.expiresAt }
  }

  return async (auth) => {
    const sessionId = auth.session.id
    const pending = inFlight.get(sessionId)
    if (pending) return pending
    const record = await vault.load(sessionId)
    if (!record || (only !== undefined && record.provider !== only)) {
      throw problemErrorOf(new OAuthError('ERR_OAUTH_NO_PROVIDER_TOKENS', 'no provider tokens for this session'))
    }
    const provider = providers.get(record.provider)
    if (!provider) throw problemErrorOf(new OAuthError('ERR_OAUTH_NO_PROVIDER_TOKENS', 'provider no longer configured'))
    const fresh = record.expiresAt - clock.now() > refreshAheadMs && handedOut.get(sessionId) !== fingerprint(record.accessToken)
    if (fresh) {
      remember(sessionId, record.accessToken)
      return { token: record.accessToken, expiresAt: record.expiresAt }
    }
    const again = inFlight.get(sessionId)
    if (again) return again
    const refreshing = refresh(sessionId, record, provider).finally(() => inFlight.delete(sessionId))
    inFlight.set(sessionId, refreshing)
    return refreshing
  }
}

function reauthenticate(vault: ProviderTokenVault, sessionId: string, reason: string) {
  // The provider will not refresh this session again: forget its tokens, the user must sign in.
  void vault.delete(sessionId).catch(() => undefined)
  return problemErrorOf(new OAuthError('ERR_OAUTH_REAUTHENTICATE', `refresh refused: ${reason}`))
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 16)
}
