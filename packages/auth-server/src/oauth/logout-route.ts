import { timingSafeEqual } from '@acme/auth-core'
import * as client from 'openid-client'
import type { AuthCore } from '../core/create-auth-core.js'
import { normalizeOrigin } from '../csrf/csrf.js'
import { empty, type Answer } from '../http/answer.js'
import type { Exchange } from '../http/exchange.js'
import { forbidden, unauthorized } from '../errors/problem-error.js'
import type { RequestAuth } from '../core/request-auth.js'
import type { ProviderClient } from './oauth-provider.js'
import type { ProviderTokenVault } from './provider-tokens.js'

/** What logout needs. Internal. */
export interface LogoutDeps {
  core: AuthCore
  origin: string
  providers: ReadonlyMap<string, ProviderClient>
  vault: ProviderTokenVault
}

/**
 * The provider's RP-initiated logout URL for this session (`id_token_hint`, `client_id`,
 * `post_logout_redirect_uri` = the app's origin + `/`), or `null` when the session did not sign
 * in with a provider, or the provider has no `end_session_endpoint`.
 */
export async function logoutUrlFor(deps: LogoutDeps, auth: RequestAuth | null | undefined): Promise<string | null> {
  if (!auth) return null
  const record = await deps.vault.load(auth.session.id)
  const provider = record ? deps.providers.get(record.provider) : undefined
  if (!record || !provider || provider.kind !== 'oidc') return null
  let config: client.Configuration
  try {
    config = await provider.configuration()
  } catch {
    return null // the provider is down: our own sign-out must still happen
  }
  if (!config.serverMetadata().end_session_endpoint) return null
  return client.buildEndSessionUrl(config, {
    post_logout_redirect_uri: `${deps.origin}/`,
    ...(record.idToken === undefined ? {} : { id_token_hint: record.idToken }),
  }).href
}

/**
 * `POST /logout`: signs out exactly as `POST /auth/logout` does (CSRF, revocation, cookies,
 * audit), forgets the session's provider tokens, and answers 204 with
 * `Location: <the provider's end-session URL>` when there is one, for the client to navigate to.
 */
export async function logoutRoute(deps: LogoutDeps, ex: Exchange): Promise<Answer> {
  const auth = ex.auth
  if (!auth) throw unauthorized()
  // Checked before anything of the provider's is read or shown: the same CSRF and Origin rules
  // as the auth routes, and the token must be the one bound to this session.
  if (ex.header('sec-fetch-site') === 'cross-site') throw forbidden('csrf', 'CSRF check failed: cross-site.')
  const claimed = ex.header('origin') ?? ex.header('referer')
  if (claimed === undefined || normalizeOrigin(claimed) !== deps.origin) throw forbidden('csrf', 'CSRF check failed: origin-mismatch.')
  const refused = await deps.core.csrf(ex)
  const payload = await deps.core.sessionPayload(ex)
  const header = ex.header('x-csrf-token')
  if (refused || payload.user === null || header === undefined || !timingSafeEqual(header, payload.csrfToken)) {
    throw forbidden('csrf', 'CSRF check failed: token-invalid.')
  }
  const url = await logoutUrlFor(deps, auth)
  await deps.vault.delete(auth.session.id)
  await deps.core.signOut(ex)
  return empty(204, url === null ? undefined : { Location: url })
}
