import { timingSafeEqual } from '@acme/auth-core'
import type { Request, RequestHandler, Router } from 'express'
import * as client from 'openid-client'
import type { Auth } from '../create-auth.js'
import { normalizeOrigin } from '../csrf.js'
import { forbidden, unauthorized } from '../problem-error.js'
import type { ProviderClient } from './oauth-provider.js'
import type { ProviderTokenVault } from './provider-tokens.js'

/** What logout needs. Internal. */
export interface LogoutDeps {
  auth: Auth
  origin: string
  providers: ReadonlyMap<string, ProviderClient>
  vault: ProviderTokenVault
}

/**
 * The provider's RP-initiated logout URL for this request's session (`id_token_hint`,
 * `client_id`, `post_logout_redirect_uri` = the app's origin + `/`), or `null` when the session
 * did not sign in with a provider, or the provider has no `end_session_endpoint`.
 */
export async function logoutUrlFor(deps: LogoutDeps, req: Request): Promise<string | null> {
  if (!req.auth) return null
  const record = await deps.vault.load(req.auth.session.id)
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
 * `POST /logout`: signs out exactly as `POST /auth/logout` does (it runs that route: CSRF,
 * revocation, cookies, audit), forgets the session's provider tokens, and answers 204 with
 * `Location: <the provider's end-session URL>` when there is one, for the client to navigate to.
 */
export function logoutRoute(deps: LogoutDeps, authRouter: Router): RequestHandler {
  return async (req, res, next) => {
    const auth = req.auth
    if (!auth) throw unauthorized()
    // Checked before anything of the provider's is read or shown: the same CSRF and Origin rules
    // as the auth router (which checks them again when it signs out).
    if (req.headers['sec-fetch-site'] === 'cross-site') throw forbidden('csrf', 'CSRF check failed: cross-site.')
    const claimed = req.headers.origin ?? req.headers.referer
    if (typeof claimed !== 'string' || normalizeOrigin(claimed) !== deps.origin) throw forbidden('csrf', 'CSRF check failed: origin-mismatch.')
    const payload = await deps.auth.sessionPayload(req, res)
    const header = req.headers['x-csrf-token']
    if (payload.user === null || typeof header !== 'string' || !timingSafeEqual(header, payload.csrfToken)) {
      throw forbidden('csrf', 'CSRF check failed: token-invalid.')
    }
    const url = await logoutUrlFor(deps, req)
    if (url !== null) res.setHeader('Location', url)
    await deps.vault.delete(auth.session.id)
    req.url = '/logout'
    authRouter(req, res, next)
  }
}
