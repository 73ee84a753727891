import type { CookieOptions, Response } from 'express'

/** Cookie names and attributes of the HTTP contract. */
export interface CookiePolicy {
  readonly names: { session: string; csrf: string; access: string; refresh: string }
  readonly secure: boolean
  /** Path of the refresh cookie: the refresh route only. */
  readonly refreshPath: string
}

/**
 * The contract's cookies: `__Host-sid`, `__Host-csrf`, `__Host-access` and `__Secure-refresh`.
 * `insecureDevelopment` drops `Secure` and the prefixes (plain-HTTP development on a host that is
 * not `localhost`); browsers treat `http://localhost` as secure, so it is never needed there.
 */
export function createCookiePolicy(basePath: string, insecureDevelopment: boolean): CookiePolicy {
  return Object.freeze({
    names: insecureDevelopment
      ? { session: 'sid', csrf: 'csrf', access: 'access', refresh: 'refresh' }
      : { session: '__Host-sid', csrf: '__Host-csrf', access: '__Host-access', refresh: '__Secure-refresh' },
    secure: !insecureDevelopment,
    refreshPath: `${basePath}/refresh`,
  })
}

export type CookieKind = 'session' | 'csrf' | 'access' | 'refresh'

function attributes(policy: CookiePolicy, kind: CookieKind, maxAgeMs: number): CookieOptions {
  return {
    httpOnly: kind !== 'csrf', // the CSRF cookie is read by page scripts on purpose (double submit)
    secure: policy.secure,
    sameSite: kind === 'refresh' ? 'strict' : 'lax',
    path: kind === 'refresh' ? policy.refreshPath : '/',
    maxAge: Math.max(0, Math.floor(maxAgeMs / 1000) * 1000),
  }
}

/** Writes one of our cookies with the contract's attributes and `Max-Age` in whole seconds. */
export function setAuthCookie(res: Response, policy: CookiePolicy, kind: CookieKind, value: string, maxAgeMs: number): void {
  res.cookie(policy.names[kind], value, attributes(policy, kind, maxAgeMs))
}

/** Clears cookies with `Max-Age=0` under the same name, path and flags they were set with. */
export function clearAuthCookies(res: Response, policy: CookiePolicy, kinds: readonly CookieKind[]): void {
  for (const kind of kinds) res.cookie(policy.names[kind], '', attributes(policy, kind, 0))
}
