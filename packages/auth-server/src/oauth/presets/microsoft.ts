import type { OidcProfile, OidcProviderOptions } from '../oauth-options.js'
import { presetClient, text, type PresetOptions } from './preset-options.js'

/** Options of {@link microsoft}. */
export interface MicrosoftOptions extends PresetOptions {
  /**
   * Who may sign in: `common` (work, school and personal accounts), `organizations` (work and
   * school), `consumers` (personal), or one tenant's id or domain (`contoso.onmicrosoft.com`).
   * @default 'common'
   */
  tenant?: string
}

const tenantPattern = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)$/i

/**
 * Sign in with Microsoft Entra ID (OpenID Connect, v2.0 endpoints). Register a "Web" redirect URI
 * `<origin>/auth/oauth/<name>/callback` in the app registration. With a multi-tenant `tenant`
 * (`common`, `organizations`), discovery names the issuer `…/{tenantid}/v2.0`: each ID token's
 * `iss` must be that template filled with the token's own `tid`, so `OAuthIdentity.issuer` names
 * the user's tenant. Any tenant's users can sign in then: check `claims.tid` in `findOrCreate` to
 * admit only some.
 *
 * Entra's `email` is not proof of a mailbox (anyone a tenant admin creates can carry any address):
 * `emailVerified` is `true` only with the optional ID-token claim `xms_edov: true` (the email's
 * domain is verified by the tenant) or an `email_verified: true`. Add the optional claims `email`
 * and `xms_edov` under "Token configuration" to link by email. The userinfo endpoint is not read:
 * the ID token carries these claims, and the access token may be for another API than Graph.
 *
 * Scopes default to `openid email profile`.
 *
 * @example
 * ```ts
 * createOAuth(auth, {
 *   providers: { microsoft: microsoft({ clientId: process.env.ENTRA_CLIENT_ID!, clientSecret: process.env.ENTRA_CLIENT_SECRET!, tenant: 'organizations' }) },
 *   users, secret, http: { origin: 'https://app.example.com' },
 * })
 * ```
 */
export function microsoft(options: MicrosoftOptions): OidcProviderOptions {
  const tenant = options.tenant ?? 'common'
  if (!tenantPattern.test(tenant)) throw new TypeError('microsoft(): options.tenant must be common, organizations, consumers, a tenant id or a domain')
  return {
    // Only the global endpoint: openid-client fills the `{tenantid}` template there.
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    ...presetClient('microsoft', options),
    scopes: options.scopes ?? ['openid', 'email', 'profile'],
    userinfo: false,
    profile: microsoftProfile,
  }
}

/** Maps Entra ID token claims: `email` counts as verified only with `xms_edov` (or `email_verified`). */
export function microsoftProfile(claims: Readonly<Record<string, unknown>>): OidcProfile {
  return {
    email: text(claims.email),
    emailVerified: claims.xms_edov === true || claims.email_verified === true,
    name: text(claims.name),
  }
}
