import * as client from 'openid-client'
import type { AuthCore } from '../core/create-auth-core.js'
import { redirect, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { queryParam } from '../http/query-param.js'
import { notFound } from '../errors/problem-error.js'
import type { OAuthConfig } from './oauth-config.js'
import { OAuthError, redirectsToErrorPage, type OAuthErrorCode } from './oauth-error.js'
import type { ProviderClient, ProviderTokens } from './oauth-provider.js'
import type { Transactions } from './oauth-transaction.js'
import { isUnreachable } from './provider-failure.js'
import { recordFrom, type ProviderTokenVault } from './provider-tokens.js'
import { safeReturnTo } from './return-to.js'

/** What the sign-in routes share. Internal. */
export interface SignInDeps {
  config: Readonly<OAuthConfig>
  core: AuthCore
  providers: ReadonlyMap<string, ProviderClient>
  transactions: Transactions
  vault: ProviderTokenVault
  /** How long provider tokens are kept without a sign-out. */
  keepMs: number
}

/** `GET /:provider?returnTo=/path`: 302 to the provider with `state`, `nonce` and PKCE S256. */
export async function startRoute(deps: SignInDeps, ex: Exchange, name: string | undefined): Promise<Answer> {
  const provider = name === undefined ? undefined : deps.providers.get(name)
  if (!provider) throw notFound()
  const returnTo = safeReturnTo(queryParam(ex, 'returnTo'))
  let config: client.Configuration
  try {
    config = await provider.configuration()
  } catch (error) {
    return fail(deps, error)
  }
  const started = await deps.transactions.begin(ex, provider.name, returnTo, provider.kind === 'oidc')
  const url = client.buildAuthorizationUrl(config, {
    response_type: 'code',
    redirect_uri: provider.redirectUri,
    ...(provider.scope === '' ? {} : { scope: provider.scope }),
    state: started.state,
    ...(started.nonce === undefined ? {} : { nonce: started.nonce }),
    code_challenge: started.codeChallenge,
    code_challenge_method: 'S256',
  })
  return redirect(url.href)
}

/**
 * `GET /:provider/callback`: checks the transaction (single use), exchanges the code on the
 * server, validates the ID token, maps the identity through the app's hook, signs in with a NEW
 * session, keeps the provider tokens sealed, and sends the browser to its same-origin `returnTo`.
 */
export async function callbackRoute(deps: SignInDeps, ex: Exchange, name: string | undefined): Promise<Answer> {
  const provider = name === undefined ? undefined : deps.providers.get(name)
  if (!provider) throw notFound()
  try {
    const tx = await deps.transactions.complete(ex, provider.name)
    const reported = queryParam(ex, 'error')
    if (reported !== undefined) {
      throw new OAuthError(reported === 'access_denied' ? 'ERR_OAUTH_ACCESS_DENIED' : 'ERR_OAUTH_PROVIDER_ERROR', `provider said ${reported.slice(0, 64)}`)
    }
    const config = await provider.configuration()
    // Our own redirect URI plus the query: never the Host header, which the client controls.
    const current = new URL(provider.redirectUri)
    current.search = ex.search
    const tokens = await exchange(config, current, tx, provider)
    const identity = await provider.identity(config, tokens).catch((error: unknown) => {
      throw classify(error, 'ERR_OAUTH_PROVIDER_ERROR')
    })
    const user = await deps.config.users.findOrCreate({ provider: provider.name, ...identity })
    if (!user) throw new OAuthError('ERR_OAUTH_ACCOUNT_NOT_ALLOWED', 'findOrCreate refused the identity')
    const signedIn = await deps.core.signIn(ex, user, { firstFactor: { method: 'oauth', provider: provider.name } })
    // A second factor is due: no session yet (so no provider tokens kept); the app's page asks for it.
    if (signedIn.mfaRequired) return redirect(`${signedIn.challengePage}${signedIn.challengePage.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(safeReturnTo(tx.returnTo))}`)
    const now = deps.config.clock.now()
    await deps.vault.save(signedIn.auth.session.id, recordFrom(provider.name, tokens, now), now + deps.keepMs)
    return redirect(safeReturnTo(tx.returnTo))
  } catch (error) {
    deps.core.audit(ex, { type: 'LOGIN_FAILED', outcome: 'failure', reason: failureReason(error), data: { provider: provider.name } })
    return fail(deps, error)
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
  // An OAuth error body with HTTP 200 (GitHub's token endpoint answers a bad code so) is still the provider's verdict.
  if (error instanceof client.ClientError && hasOAuthErrorBody(error)) return new OAuthError(verdict, 'provider refused', { cause: error })
  // Signature, iss, aud, exp, nonce, azp, sub: the response did not pass validation.
  if (error instanceof client.ClientError) return new OAuthError('ERR_OAUTH_ID_TOKEN_INVALID', error.message, { cause: error })
  return error
}

function hasOAuthErrorBody(error: Error): boolean {
  let cause: unknown = error
  for (let depth = 0; depth < 3 && typeof cause === 'object' && cause !== null; depth++) {
    const body = (cause as { body?: unknown }).body
    if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') return true
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/**
 * The audit reason of a failed callback: the error code without `ERR_`, lower-cased
 * (`oauth_state_invalid`, `oauth_code_rejected`, …), or `oauth_internal_error`. Never the provider's
 * words, the code, the state or a token.
 */
function failureReason(error: unknown): string {
  return error instanceof OAuthError ? error.code.slice(4).toLowerCase() : 'oauth_internal_error'
}

/** Ends a failed sign-in: the error page for what users cause or suffer, problem+json for what attacks look like. */
function fail(deps: SignInDeps, error: unknown): Answer {
  // Anything else reaches the error handler, which answers it from the one table (toProblem).
  if (!(error instanceof OAuthError) || !redirectsToErrorPage(error.code)) throw error
  const page = deps.config.errorPage
  return redirect(`${page}${page.includes('?') ? '&' : '?'}error=${error.code}`)
}
