import type { RequestHandler, Response } from 'express'
import * as client from 'openid-client'
import type { Auth } from '../create-auth.js'
import { notFound } from '../problem-error.js'
import type { OAuthConfig } from './oauth-config.js'
import { OAuthError, oauthProblem, redirectedCodes, type OAuthErrorCode } from './oauth-error.js'
import type { ProviderClient, ProviderTokens } from './oauth-provider.js'
import type { Transactions } from './oauth-transaction.js'
import { isUnreachable } from './provider-failure.js'
import { recordFrom, type ProviderTokenVault } from './provider-tokens.js'
import { safeReturnTo } from './return-to.js'

/** What the sign-in routes share. Internal. */
export interface SignInDeps {
  config: Readonly<OAuthConfig>
  auth: Auth
  providers: ReadonlyMap<string, ProviderClient>
  transactions: Transactions
  vault: ProviderTokenVault
  /** How long provider tokens are kept without a sign-out. */
  keepMs: number
}

/** `GET /:provider?returnTo=/path`: 302 to the provider with `state`, `nonce` and PKCE S256. */
export function startRoute(deps: SignInDeps): RequestHandler {
  return async (req, res) => {
    const provider = deps.providers.get(String(req.params.provider))
    if (!provider) throw notFound()
    const returnTo = safeReturnTo(req.query.returnTo)
    let config: client.Configuration
    try {
      config = await provider.configuration()
    } catch (error) {
      return fail(deps, res, error)
    }
    const started = await deps.transactions.begin(res, provider.name, returnTo, provider.kind === 'oidc')
    const url = client.buildAuthorizationUrl(config, {
      response_type: 'code',
      redirect_uri: provider.redirectUri,
      ...(provider.scope === '' ? {} : { scope: provider.scope }),
      state: started.state,
      ...(started.nonce === undefined ? {} : { nonce: started.nonce }),
      code_challenge: started.codeChallenge,
      code_challenge_method: 'S256',
    })
    res.redirect(302, url.href)
  }
}

/**
 * `GET /:provider/callback`: checks the transaction (single use), exchanges the code on the
 * server, validates the ID token, maps the identity through the app's hook, signs in with a NEW
 * session, keeps the provider tokens sealed, and sends the browser to its same-origin `returnTo`.
 */
export function callbackRoute(deps: SignInDeps): RequestHandler {
  return async (req, res) => {
    const provider = deps.providers.get(String(req.params.provider))
    if (!provider) throw notFound()
    try {
      const tx = await deps.transactions.complete(req, res, provider.name)
      const reported = req.query.error
      if (typeof reported === 'string') {
        throw new OAuthError(reported === 'access_denied' ? 'ERR_OAUTH_ACCESS_DENIED' : 'ERR_OAUTH_PROVIDER_ERROR', `provider said ${reported.slice(0, 64)}`)
      }
      const config = await provider.configuration()
      // Our own redirect URI plus the query: never the Host header, which the client controls.
      const current = new URL(provider.redirectUri)
      current.search = new URL(req.originalUrl, 'http://callback.invalid').search
      const tokens = await exchange(config, current, tx, provider)
      const identity = await provider.identity(config, tokens).catch((error: unknown) => {
        throw classify(error, 'ERR_OAUTH_PROVIDER_ERROR')
      })
      const user = await deps.config.users.findOrCreate({ provider: provider.name, ...identity })
      if (!user) throw new OAuthError('ERR_OAUTH_ACCOUNT_NOT_ALLOWED', 'findOrCreate refused the identity')
      const { auth } = await deps.auth.signIn(req, res, user, { authLevel: `oauth:${provider.name}` })
      const now = deps.config.clock.now()
      await deps.vault.save(auth.session.id, recordFrom(provider.name, tokens, now), now + deps.keepMs)
      res.redirect(302, safeReturnTo(tx.returnTo))
    } catch (error) {
      return fail(deps, res, error)
    }
  }
}

async function exchange(config: client.Configuration, current: URL, tx: { codeVerifier: string; state: string; nonce: string | undefined }, provider: ProviderClient): Promise<ProviderTokens> {
  try {
    return await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: tx.codeVerifier,
      expectedState: tx.state,
      ...(tx.nonce === undefined ? {} : { expectedNonce: tx.nonce }),
      idTokenExpected: provider.kind === 'oidc',
    })
  } catch (error) {
    throw classify(error, 'ERR_OAUTH_CODE_REJECTED')
  }
}

/** Sorts a provider call's failure: transport, the provider's verdict, or a response that failed our checks. */
function classify(error: unknown, verdict: OAuthErrorCode): unknown {
  if (error instanceof OAuthError) return error
  if (isUnreachable(error)) return new OAuthError('ERR_OAUTH_PROVIDER_UNAVAILABLE', 'provider unreachable', { cause: error })
  if (error instanceof client.ResponseBodyError) return new OAuthError(verdict, `provider refused: ${error.error}`, { cause: error })
  if (error instanceof client.WWWAuthenticateChallengeError) return new OAuthError(verdict, 'provider refused the token', { cause: error })
  if (error instanceof client.AuthorizationResponseError) return new OAuthError('ERR_OAUTH_PROVIDER_ERROR', 'provider error', { cause: error })
  // Signature, iss, aud, exp, nonce, azp, sub: the response did not pass validation.
  if (error instanceof client.ClientError) return new OAuthError('ERR_OAUTH_ID_TOKEN_INVALID', error.message, { cause: error })
  return error
}

/** Ends a failed sign-in: the error page for what users cause or suffer, problem+json for what attacks look like. */
function fail(deps: SignInDeps, res: Response, error: unknown): void {
  if (!(error instanceof OAuthError)) throw error
  if (!redirectedCodes.has(error.code)) throw oauthProblem(error)
  const page = deps.config.errorPage
  res.redirect(302, `${page}${page.includes('?') ? '&' : '?'}error=${error.code}`)
}
