import type { OidcProviderOptions } from '../oauth-options.js'
import { presetClient, type PresetOptions } from './preset-options.js'

/** Google's OpenID Connect issuer. */
export const googleIssuer = 'https://accounts.google.com'

/**
 * Sign in with Google (OpenID Connect, discovered from `https://accounts.google.com`). Register a
 * "Web application" OAuth client in the Google Cloud console with the redirect URI
 * `<origin>/auth/oauth/<name>/callback`. Google signs `email_verified` into the ID token: only
 * those addresses reach `findOrCreate` with `emailVerified: true`. Workspace accounts carry their
 * domain in `claims.hd`.
 *
 * Scopes default to `openid email profile`.
 *
 * @example
 * ```ts
 * createOAuth(auth, {
 *   providers: { google: google({ clientId: process.env.GOOGLE_CLIENT_ID!, clientSecret: process.env.GOOGLE_CLIENT_SECRET! }) },
 *   users, secret, http: { origin: 'https://app.example.com' },
 * })
 * ```
 */
export function google(options: PresetOptions): OidcProviderOptions {
  return {
    issuer: googleIssuer,
    ...presetClient('google', options),
    scopes: options.scopes ?? ['openid', 'email', 'profile'],
  }
}
