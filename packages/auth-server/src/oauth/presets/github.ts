import type { OAuth2ProviderOptions, OAuthProfile } from '../oauth-options.js'
import { presetClient, text, type PresetOptions } from './preset-options.js'

/** Options of {@link github}. */
export interface GitHubOptions extends PresetOptions {
  /** GitHub Enterprise Server: `https://github.example.com`. @default 'https://github.com' */
  baseUrl?: string
  /** The REST API's root. @default 'https://api.github.com', or `<baseUrl>/api/v3` with a `baseUrl` */
  apiUrl?: string
}

const dotCom = 'https://github.com'

/**
 * Sign in with GitHub (OAuth 2.0: an OAuth App, or a GitHub App's user authorization). Register the
 * callback URL `<origin>/auth/oauth/<name>/callback`. The identity's `sub` is the numeric user id
 * (logins can be renamed); `email` is the PRIMARY address from `GET /user/emails` (`/user` often
 * has none), `emailVerified` is GitHub's `verified` for it; `name` falls back to the login.
 *
 * Scopes default to `read:user user:email` (a GitHub App ignores scopes: give it the "Email
 * addresses" account permission, or every sign-in fails on `/user/emails`).
 *
 * @example
 * ```ts
 * createOAuth(auth, {
 *   providers: { github: github({ clientId: process.env.GITHUB_CLIENT_ID!, clientSecret: process.env.GITHUB_CLIENT_SECRET! }) },
 *   users, secret, http: { origin: 'https://app.example.com' },
 * })
 * ```
 */
export function github(options: GitHubOptions): OAuth2ProviderOptions {
  const base = withoutSlash(options.baseUrl ?? dotCom)
  const api = withoutSlash(options.apiUrl ?? (base === dotCom ? 'https://api.github.com' : `${base}/api/v3`))
  return {
    ...presetClient('github', options),
    scopes: options.scopes ?? ['read:user', 'user:email'],
    endpoints: {
      authorization: `${base}/login/oauth/authorize`,
      token: `${base}/login/oauth/access_token`,
      userinfo: `${api}/user`,
      issuer: base,
      resources: { emails: `${api}/user/emails?per_page=100` },
    },
    profile: githubProfile,
  }
}

/** Maps `GET /user` and `GET /user/emails` (GitHub's REST shapes) to who signed in. */
export function githubProfile(user: Readonly<Record<string, unknown>>, resources: Readonly<Record<string, unknown>>): OAuthProfile {
  const { id } = user
  const primary = Array.isArray(resources.emails)
    ? (resources.emails as unknown[]).find((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>).primary === true)
    : undefined
  const primaryEmail = text(primary?.email)
  return {
    sub: typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : '',
    // `/user`'s `email` is the public one the user chose; only the primary entry says whether GitHub verified it.
    email: primaryEmail ?? text(user.email),
    emailVerified: primaryEmail !== null && primary?.verified === true,
    name: text(user.name) ?? text(user.login),
  }
}

function withoutSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
